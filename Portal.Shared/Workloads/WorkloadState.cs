namespace Portal.Shared.Workloads;

/// <summary>Where one workload stands on its device.</summary>
public enum WorkloadState
{
    Pending,
    Pulling,
    Starting,
    Running,
    Failed,
    Stopped,
}

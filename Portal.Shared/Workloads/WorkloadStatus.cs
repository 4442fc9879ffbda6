namespace Portal.Shared.Workloads;

/// <summary>
/// What the agent knows of one workload (a container or a served model): its state (with the reason when Failed, pull progress while Pulling) and,
/// while it runs, the container's uptime, restarts and resource use. A stack also says how each of its services stands.
/// </summary>
public sealed record WorkloadStatus(
    string Name,
    string DeploymentId,
    string SpecHash,
    WorkloadState State,
    string? Reason,
    string Image,
    string? ContainerId,
    DateTimeOffset? StartedAt,
    int RestartCount,
    double? CpuPercent,
    long? MemoryBytes,
    int? ProgressPercent = null,
    WorkloadKind Kind = WorkloadKind.Container,
    IReadOnlyList<ServiceStatus>? Services = null,
    Portal.Shared.DataFlows.DataFlowStatus? Flow = null);

namespace Portal.Shared.Workloads;

/// <summary>The agent's report after each reconcile: the revision it worked towards and every workload's status.</summary>
public sealed record WorkloadReport(long Revision, IReadOnlyList<WorkloadStatus> Workloads, DateTimeOffset At);

namespace Portal.Shared.Workloads;

/// <summary>A device's workloads: the revision it should run, the one it last reported, and each workload's status.</summary>
public sealed record DeviceWorkloads(long DesiredRevision, long ReportedRevision, DateTimeOffset? ReportedAt, IReadOnlyList<WorkloadStatus> Workloads);

using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// What a reconcile of one kind came to: every desired workload's status, and when to look again sooner than the interval
/// (a container still settling). <paramref name="OnlyWhenChanged"/>: statuses that only change with events (a loaded
/// model) are not sent again while they stay the same.
/// </summary>
public sealed record DriverReport(IReadOnlyList<WorkloadStatus> Statuses, TimeSpan? LookAgainIn = null, bool OnlyWhenChanged = false);

using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Pure: whether a workload's new status is worth a report. Pulls and downloads move in many small steps; the portal
/// hears a change of state, spec or reason, every 10 %, and the end, not every chunk.
/// </summary>
public static class ProgressThrottle
{
    public const int StepPercent = 10;

    public static bool Tells(WorkloadStatus? previous, WorkloadStatus next) =>
        previous is null
        || previous.State != next.State
        || previous.SpecHash != next.SpecHash
        || previous.Reason != next.Reason
        || next.ProgressPercent == 100
        || (next.ProgressPercent ?? 0) - (previous.ProgressPercent ?? 0) >= StepPercent;
}

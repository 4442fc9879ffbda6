using Portal.Data;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// A deployment's revisions. An update in place makes revision n+1: devices keep running revision n until the
/// rollout releases them (<see cref="DeploymentTarget.Revision"/> says which one each was released to), and a
/// rollback of revision n+1 makes revision n+2 that deploys revision n again, released to every device at once.
/// Changes only the entities it is given: the caller stores them.
/// </summary>
public static class DeploymentRevisions
{
    /// <summary>Rows from before revisions existed read 0, the same as 1.</summary>
    public static int Current(Deployment d) => Math.Max(1, d.Revision);

    /// <summary>The device was released to an earlier revision (or waits for this one while running the previous).</summary>
    public static bool IsBehind(DeploymentTarget t, Deployment d) => Math.Max(1, t.Revision) < Current(d);

    /// <summary>A rollback returns to the previous revision when there is one that was not itself rolled back.</summary>
    public static bool CanRevert(Deployment d) => d.Previous is { RolledBack: false };

    /// <summary>
    /// Makes <paramref name="next"/> the deployment's next revision. When what devices run changes
    /// (<paramref name="workloadChanged"/>), every targeted device waits to be released to it and runs the previous
    /// revision meanwhile; otherwise (targets or strategy only) they are at the new revision at once.
    /// </summary>
    public static void Begin(Deployment d, DeploymentSnapshot next, bool workloadChanged, DateTimeOffset now, string reason)
    {
        var previous = DeploymentSnapshot.Of(d);
        next.ApplyTo(d);
        (d.Previous, d.Revision) = (previous, previous.Revision + 1);
        (d.State, d.StateReason, d.FailuresAccepted, d.UpdatedAt) = (DeploymentState.InProgress, reason, 0, now);
        foreach (var target in d.Targets)
        {
            if (!workloadChanged)
            {
                target.Revision = d.Revision;
            }
            else if (target.State != DeviceRolloutState.Superseded)
            {
                var runs = target.ReleasedAt is null ? "Nothing released yet" : $"Runs revision {Math.Max(1, target.Revision)} until released";
                (target.State, target.Reason, target.ProgressPercent, target.UpdatedAt) = (DeviceRolloutState.Waiting, runs, null, now);
            }
        }
    }

    /// <summary>
    /// Rolls the current revision back: the next revision deploys the previous one again, to every device that had
    /// anything at once; the rolled-back one is kept as <see cref="Deployment.Previous"/>, marked, so its version is flagged.
    /// </summary>
    public static string Revert(Deployment d, DateTimeOffset now, string why)
    {
        var back = d.Previous ?? throw new InvalidOperationException("There is no previous revision to return to.");
        var failed = DeploymentSnapshot.Of(d, rolledBack: true);
        back.ApplyTo(d);
        (d.Previous, d.Revision) = (failed, failed.Revision + 1);
        var reason = $"Revision {failed.Revision} ({failed.Version}) rolled back to revision {back.Revision}'s {back.Version}: {why}";
        (d.State, d.StateReason, d.FailuresAccepted, d.UpdatedAt) = (DeploymentState.InProgress, reason, 0, now);
        foreach (var target in d.Targets.Where(t => t.State != DeviceRolloutState.Superseded))
        {
            target.Revision = d.Revision;
            (target.Reason, target.ProgressPercent, target.UpdatedAt) = (null, null, now);
            if (target.ReleasedAt is not null)
            {
                (target.State, target.ReleasedAt) = (DeviceRolloutState.Pending, now);
            }
            else
            {
                target.State = DeviceRolloutState.Waiting;
            }
        }

        return reason;
    }

    /// <summary>The version a rollback returns to, if there is one.</summary>
    public static string? PreviousVersion(Deployment d) => CanRevert(d) ? d.Previous!.Version : null;
}

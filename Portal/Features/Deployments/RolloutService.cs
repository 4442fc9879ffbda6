using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Groups;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Steps every deployment: keeps its device list equal to its targets (group members come and go), asks the
/// <see cref="RolloutPlanner"/> what to release or time out, stores the result and recomputes desired states. All of
/// its state is in the database, so a restarted portal (or the instance that takes the lease over) carries on where
/// it stopped; deployment rows carry a concurrency stamp, so a step decided on stale state is never stored.
/// </summary>
public sealed partial class RolloutService(
    IDbContextFactory<PortalDbContext> dbFactory,
    GroupService groups,
    DesiredStates desiredStates,
    DeploymentGate gate,
    RolloutSignal signal,
    ConfigRolloutStepper configRollouts,
    Notifier<DeploymentChanged> changes,
    AuditLog audit,
    Portal.Features.Cluster.Leases leases,
    TimeProvider clock,
    ILogger<RolloutService> logger) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recompute = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // With several instances, the holder of the rollouts lease steps every deployment; the others wait
                // and take over within a lease's length if it stops.
                if (await leases.TryHoldAsync(Portal.Features.Cluster.LeaseNames.Rollouts, stoppingToken))
                {
                    await StepAsync(recompute, stoppingToken);
                    recompute = false;
                }
                else
                {
                    recompute = true;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogStepFailed(logger, ex);
                recompute = true;
            }

            var signalled = await signal.WaitAsync(Tick, stoppingToken);
            recompute |= signalled;
        }
    }

    public async Task StepAsync(bool recompute, CancellationToken cancellationToken)
    {
        // Config changes rolling out release devices to new values: their desired states are computed below.
        recompute |= await configRollouts.StepAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployments = await db.Deployments.Include(d => d.Targets).Where(d => d.State != DeploymentState.RolledBack).ToListAsync(cancellationToken);
        if (deployments.Count == 0)
        {
            // Nothing to step: skip reading the fleet on every tick; a deleted deployment still clears its devices.
            if (recompute)
            {
                await desiredStates.RecomputeAsync(cancellationToken);
                await configRollouts.StampAsync(cancellationToken);
            }

            return;
        }

        var groupList = deployments.Any(d => d.GroupIds.Count > 0 || d.Strategy.RespectMaintenanceWindows) ? await groups.ListAsync(cancellationToken) : [];
        var memberships = groupList.ToDictionary(g => g.Id, g => g.Members.Select(m => m.DeviceId).ToList(), StringComparer.Ordinal);
        // A device's maintenance windows are those of every group it is in.
        var windows = groupList.Where(g => g.MaintenanceWindows is { Count: > 0 })
            .SelectMany(g => g.Members.Select(m => (m.DeviceId, Windows: g.MaintenanceWindows!)))
            .GroupBy(x => x.DeviceId, StringComparer.Ordinal)
            .ToDictionary(x => x.Key, x => (IReadOnlyList<Portal.Shared.Devices.MaintenanceWindow>)[.. x.SelectMany(y => y.Windows)], StringComparer.Ordinal);
        var active = (await db.Devices.Where(d => d.RevokedAt == null).Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        // What is known of the devices this step may release, so each release is checked (DeploymentGate) first.
        var releasable = await gate.WithConfigAsync(deployments, await gate.DevicesAsync(db, DeploymentGate.Candidates(deployments, memberships, active), cancellationToken), cancellationToken);
        var now = clock.GetUtcNow();
        var changed = new List<string>();
        var transitions = new List<(Deployment Deployment, DeploymentState From)>();
        var reverts = new List<Deployment>();
        foreach (var deployment in deployments)
        {
            var (from, revision) = (deployment.State, deployment.Revision);
            if (Step(db, deployment, memberships, active, releasable, windows, now))
            {
                if (deployment.Revision != revision)
                {
                    reverts.Add(deployment);
                }

                deployment.ConcurrencyStamp++;
                deployment.UpdatedAt = now;
                changed.Add(deployment.Id);
                if (deployment.State != from)
                {
                    transitions.Add((deployment, from));
                }
            }
        }

        // After this step's releases: a newer deployment of the same workload on a device takes it over from older ones.
        var owners = Supersession.Find(deployments.SelectMany(d => d.Targets.Select(t =>
            new Supersession.Candidate(d.Id, d.Name, Supersession.WorkloadOf(d), d.CreatedAt, t.DeviceId, t.State, t.ReleasedAt is not null))));
        var handedOver = false;
        foreach (var deployment in deployments.Where(d => SupersededTargets.Apply(db, d, owners, now)))
        {
            handedOver = true;
            if (!changed.Contains(deployment.Id))
            {
                deployment.ConcurrencyStamp++;
                deployment.UpdatedAt = now;
                changed.Add(deployment.Id);
            }
        }

        DeploymentFleetEvents.Stepped(db, transitions, reverts, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone (an operator's action) changed a deployment meanwhile: decide again from fresh state next tick.
            signal.Wake();
            return;
        }

        foreach (var (deployment, from) in transitions)
        {
            await RecordAsync(deployment, from, cancellationToken);
        }

        foreach (var deployment in reverts)
        {
            await audit.RecordAsync(AuditActor.System, AuditActions.DeploymentRolledBack, AuditTargets.Deployment(deployment.Id), deployment.Name,
                detail: deployment.StateReason, ct: cancellationToken);
        }

        if (changed.Count > 0 || recompute)
        {
            await desiredStates.RecomputeAsync(cancellationToken);
            await configRollouts.StampAsync(cancellationToken);
        }

        changed.ForEach(id => changes.Publish(new DeploymentChanged(id)));
        if (handedOver)
        {
            // The deployments whose devices changed hands settle their state at the next step, without waiting a tick.
            signal.Wake();
        }
    }

    /// <summary>The rollout's own pauses, aborts and rollbacks (a failure threshold crossed) are the system's actions.</summary>
    private async Task RecordAsync(Deployment deployment, DeploymentState from, CancellationToken ct)
    {
        var action = deployment.State switch
        {
            DeploymentState.Paused => AuditActions.DeploymentPaused,
            DeploymentState.Aborted => AuditActions.DeploymentAborted,
            DeploymentState.RolledBack => AuditActions.DeploymentRolledBack,
            _ => null,
        };
        if (action is not null)
        {
            await audit.RecordAsync(AuditActor.System, action, AuditTargets.Deployment(deployment.Id), deployment.Name,
                detail: $"{from} → {deployment.State}: {deployment.StateReason}", ct: ct);
        }
    }

    private static bool Step(PortalDbContext db, Deployment deployment, Dictionary<string, List<string>> memberships, HashSet<string> active,
        Dictionary<string, CheckedDevice> releasable, Dictionary<string, IReadOnlyList<Portal.Shared.Devices.MaintenanceWindow>> windows, DateTimeOffset now)
    {
        var wanted = TargetChanges.Resolve(deployment.GroupIds, deployment.DeviceIds, memberships, active);
        var changed = false;
        foreach (var gone in deployment.Targets.Where(t => !wanted.Contains(t.DeviceId)).ToList())
        {
            // Left the group (or was decommissioned): the device loses the workload at the next recompute.
            deployment.Targets.Remove(gone);
            db.DeploymentTargets.Remove(gone);
            changed = true;
        }

        foreach (var deviceId in wanted.Where(id => deployment.Targets.All(t => t.DeviceId != id)))
        {
            deployment.Targets.Add(new DeploymentTarget
            {
                DeploymentId = deployment.Id, DeviceId = deviceId, State = DeviceRolloutState.Waiting, UpdatedAt = now, Revision = DeploymentRevisions.Current(deployment),
            });
            changed = true;
        }

        var closed = ClosedUntil(deployment, windows, now);
        foreach (var target in deployment.Targets.Where(t => t.ReleasedAt is null && t.State == DeviceRolloutState.Waiting))
        {
            // Say on each waiting device when its window opens (in its site's zone); cleared once it is released.
            var why = closed.TryGetValue(target.DeviceId, out var opens)
                ? $"Waits for its maintenance window, which opens {Portal.Features.Groups.MaintenanceSchedule.Describe(opens.At, opens.TimeZone)}"
                : null;
            if (why != target.Reason && (why is not null || target.Reason?.StartsWith("Waits for its maintenance window", StringComparison.Ordinal) == true))
            {
                (target.Reason, target.UpdatedAt) = (why, now);
                changed = true;
            }
        }

        var decision = Decide(deployment, now, closed);
        // A device this step would release but that cannot run the workload (any more) is skipped; the step is decided again without it.
        while (DeploymentGate.SkipRefused(db, deployment, decision.Release, releasable, now))
        {
            changed = true;
            decision = Decide(deployment, now, closed);
        }

        if (!decision.ChangesAnything(deployment.State, deployment.StateReason))
        {
            return changed;
        }

        if (decision.State == DeploymentState.RolledBack && DeploymentRevisions.CanRevert(deployment))
        {
            // An update that crossed its threshold: back to the revision before it, not off every device.
            var reverted = DeploymentRevisions.Revert(deployment, now, decision.Reason ?? "the failure threshold was crossed");
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = deployment.Id, At = now, Message = reverted });
            return true;
        }

        foreach (var target in deployment.Targets)
        {
            if (decision.Release.Contains(target.DeviceId))
            {
                (target.State, target.ReleasedAt, target.Reason, target.UpdatedAt) = (DeviceRolloutState.Pending, now, null, now);
                target.Revision = DeploymentRevisions.Current(deployment);
            }
            else if (decision.TimedOut.Contains(target.DeviceId))
            {
                (target.State, target.Reason, target.UpdatedAt) = (DeviceRolloutState.Failed, $"Did not report Running within {deployment.Strategy.DeviceTimeoutSeconds} s", now);
            }
            else if (decision.State == DeploymentState.RolledBack)
            {
                (target.State, target.UpdatedAt) = (DeviceRolloutState.RolledBack, now);
            }
        }

        (deployment.State, deployment.StateReason) = (decision.State, decision.Reason);
        foreach (var message in decision.Events)
        {
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = deployment.Id, At = now, Message = message });
        }

        return true;
    }

    private static RolloutPlanner.Decision Decide(Deployment deployment, DateTimeOffset now, Dictionary<string, (DateTimeOffset At, string TimeZone)> closed) => RolloutPlanner.Step(
        deployment.Strategy, deployment.State, deployment.StateReason,
        // A device still on an earlier revision waits to be released to this one (it runs the earlier one meanwhile).
        deployment.Targets.Select(t => new RolloutPlanner.Target(t.DeviceId, t.State, DeploymentRevisions.IsBehind(t, deployment) ? null : t.ReleasedAt, t.Reason)).ToList(),
        now, deployment.FailuresAccepted, deployment.Strategy.RespectMaintenanceWindows ? closed.ToDictionary(c => c.Key, c => c.Value.At, StringComparer.Ordinal) : null);

    /// <summary>The deployment's devices whose windows are all closed now, with the next opening (only when it respects windows).</summary>
    private static Dictionary<string, (DateTimeOffset At, string TimeZone)> ClosedUntil(
        Deployment deployment, Dictionary<string, IReadOnlyList<Portal.Shared.Devices.MaintenanceWindow>> windows, DateTimeOffset now)
    {
        var closed = new Dictionary<string, (DateTimeOffset, string)>(StringComparer.Ordinal);
        if (!deployment.Strategy.RespectMaintenanceWindows)
        {
            return closed;
        }

        foreach (var target in deployment.Targets)
        {
            if (windows.TryGetValue(target.DeviceId, out var own) && Portal.Features.Groups.MaintenanceSchedule.NextOpening(own, now) is { } next)
            {
                closed[target.DeviceId] = next;
            }
        }

        return closed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A rollout step failed; retrying at the next tick")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);
}

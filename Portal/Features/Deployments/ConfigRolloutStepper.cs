using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.FleetConfig;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Steps the config changes that roll out with a strategy, in the rollout loop (under its lease): judges each released
/// device by its report of the desired-state revision that carries the change, asks the <see cref="RolloutPlanner"/>
/// (the deployments' own) what to release, time out, pause or roll back, and stores it. A rollback writes the level's
/// values from before the change back. Everything it decides from is stored, so a restarted portal carries on.
/// </summary>
public sealed partial class ConfigRolloutStepper(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, Notifier<FleetConfig.ConfigChanged> changes, TimeProvider clock, ILogger<ConfigRolloutStepper> logger)
{
    /// <summary>One step of every active config rollout; true when devices were released or values written back (recompute).</summary>
    public async Task<bool> StepAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rollouts = await db.ConfigRollouts
            .Where(r => r.State == DeploymentState.InProgress || r.State == DeploymentState.Paused || r.State == DeploymentState.Aborted).ToListAsync(ct);
        if (rollouts.Count == 0)
        {
            return false;
        }

        // Only devices still in flight are read: a settled target is not judged again.
        var judged = rollouts.SelectMany(r => r.Targets.Where(t => t.ReleasedAt is not null && t.ExpectedRevision is not null && !RolloutPlanner.IsTerminal(t.State)))
            .Select(t => t.DeviceId).Distinct().ToList();
        var rows = await db.DesiredStates.AsNoTracking().Where(d => judged.Contains(d.DeviceId)).ToDictionaryAsync(d => d.DeviceId, StringComparer.Ordinal, ct);
        var open = rollouts.SelectMany(r => r.Targets.Where(t => !RolloutPlanner.IsTerminal(t.State) && t.State != DeviceRolloutState.Skipped)).Select(t => t.DeviceId).Distinct().ToList();
        var active = (await db.Devices.Where(d => open.Contains(d.Id) && d.RevokedAt == null).Select(d => d.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var recompute = false;
        var transitions = new List<(ConfigRollout Rollout, DeploymentState From)>();
        foreach (var rollout in rollouts)
        {
            var from = rollout.State;
            var changed = SkipGone(rollout, active, now) | Judge(rollout, rows, now);
            var decision = RolloutPlanner.Step(rollout.Strategy, rollout.State, rollout.StateReason,
                rollout.Targets.Select(t => new RolloutPlanner.Target(t.DeviceId, t.State, t.ReleasedAt, t.Reason)).ToList(), now, rollout.FailuresAccepted);
            if (decision.ChangesAnything(rollout.State, rollout.StateReason))
            {
                changed = true;
                if (decision.State == DeploymentState.RolledBack)
                {
                    var why = $"Rolled back: {decision.Reason}";
                    recompute |= await ConfigRolloutService.RollBackAsync(db, rollout, now, why, ct)
                        || Pause(rollout, "The failure threshold was crossed, but the level was changed again since: not rolled back; decide by hand");
                }
                else
                {
                    // What each released device runs before the change, so that only what the change touches is judged.
                    var before = decision.Release.Count == 0 ? []
                        : await db.DesiredStates.AsNoTracking().Where(d => decision.Release.Contains(d.DeviceId)).ToDictionaryAsync(d => d.DeviceId, StringComparer.Ordinal, ct);
                    recompute |= Apply(rollout, decision, before, now);
                }
            }

            if (changed)
            {
                rollout.ConcurrencyStamp++;
                rollout.UpdatedAt = now;
            }

            if (rollout.State != from)
            {
                transitions.Add((rollout, from));
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // An operator paused or rolled back meanwhile: decided again from fresh state at the next step.
            return true;
        }

        foreach (var (rollout, from) in transitions)
        {
            await RecordAsync(rollout, from, ct);
        }

        return recompute;
    }

    /// <summary>After desired states were recomputed: each newly released device waits for the revision that carries the change.</summary>
    public async Task StampAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rollouts = await db.ConfigRollouts.Where(r => r.State == DeploymentState.InProgress || r.State == DeploymentState.Paused || r.State == DeploymentState.Aborted).ToListAsync(ct);
        var unstamped = rollouts.Where(r => r.Targets.Any(t => t.ReleasedAt is not null && t.ExpectedRevision is null)).ToList();
        if (unstamped.Count == 0)
        {
            return;
        }

        var ids = unstamped.SelectMany(r => r.Targets.Where(t => t.ReleasedAt is not null && t.ExpectedRevision is null)).Select(t => t.DeviceId).Distinct().ToList();
        var revisions = await db.DesiredStates.AsNoTracking().Where(d => ids.Contains(d.DeviceId)).ToDictionaryAsync(d => d.DeviceId, d => d.Revision, StringComparer.Ordinal, ct);
        foreach (var rollout in unstamped)
        {
            // A copy, so the JSON column is seen as changed.
            rollout.Targets = rollout.Targets.Select(t => t.ReleasedAt is not null && t.ExpectedRevision is null
                ? new ConfigRolloutTarget { DeviceId = t.DeviceId, State = t.State, Reason = t.Reason, ReleasedAt = t.ReleasedAt, ExpectedRevision = revisions.GetValueOrDefault(t.DeviceId), Before = t.Before, UpdatedAt = t.UpdatedAt }
                : t).ToList();
            rollout.ConcurrencyStamp++;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Stamped at the next step.
        }
    }

    /// <summary>Moves each released device to what its report of the carrying revision says.</summary>
    private static bool Judge(ConfigRollout rollout, Dictionary<string, DeviceDesiredState> rows, DateTimeOffset now)
    {
        var changed = false;
        foreach (var target in rollout.Targets.Where(t => t.ReleasedAt is not null && t.ExpectedRevision is not null && !RolloutPlanner.IsTerminal(t.State)))
        {
            var (state, reason) = rows.TryGetValue(target.DeviceId, out var row)
                ? ConfigRolloutJudge.Judge(row, target.ExpectedRevision!.Value, target.Before)
                : (DeviceRolloutState.Running, (string?)null);
            if (state != target.State || reason != target.Reason)
            {
                (target.State, target.Reason, target.UpdatedAt) = (state, reason, now);
                changed = true;
            }
        }

        if (changed)
        {
            rollout.Targets = [.. rollout.Targets];
        }

        return changed;
    }

    /// <summary>A device revoked since the change was made will not report it: skipped (with why), not waited for until it times out.</summary>
    private static bool SkipGone(ConfigRollout rollout, HashSet<string> active, DateTimeOffset now)
    {
        var gone = rollout.Targets.Where(t => !RolloutPlanner.IsTerminal(t.State) && t.State != DeviceRolloutState.Skipped && !active.Contains(t.DeviceId)).ToList();
        foreach (var target in gone)
        {
            (target.State, target.Reason, target.UpdatedAt) = (DeviceRolloutState.Skipped, "The device was revoked (or deleted) during the rollout", now);
        }

        if (gone.Count > 0)
        {
            rollout.Targets = [.. rollout.Targets];
        }

        return gone.Count > 0;
    }

    private static bool Apply(ConfigRollout rollout, RolloutPlanner.Decision decision, Dictionary<string, DeviceDesiredState> before, DateTimeOffset now)
    {
        foreach (var target in rollout.Targets)
        {
            if (decision.Release.Contains(target.DeviceId))
            {
                (target.State, target.ReleasedAt, target.ExpectedRevision, target.Reason, target.UpdatedAt) = (DeviceRolloutState.Pending, now, null, null, now);
                target.Before = ConfigRolloutJudge.Keys(before.GetValueOrDefault(target.DeviceId));
            }
            else if (decision.TimedOut.Contains(target.DeviceId))
            {
                (target.State, target.Reason, target.UpdatedAt) = (DeviceRolloutState.Failed, $"Did not report the change running within {rollout.Strategy.DeviceTimeoutSeconds} s", now);
            }
        }

        rollout.Targets = [.. rollout.Targets];
        (rollout.State, rollout.StateReason) = (decision.State, decision.Reason);
        return decision.Release.Count > 0;
    }

    private static bool Pause(ConfigRollout rollout, string why)
    {
        (rollout.State, rollout.StateReason) = (DeploymentState.Paused, why);
        return false;
    }

    private async Task RecordAsync(ConfigRollout rollout, DeploymentState from, CancellationToken ct)
    {
        var action = rollout.State switch
        {
            DeploymentState.Paused => AuditActions.ConfigRolloutPaused,
            DeploymentState.RolledBack => AuditActions.ConfigRolloutRolledBack,
            _ => null,
        };
        if (action is not null)
        {
            await audit.RecordAsync(AuditActor.System, action, new ConfigScope(rollout.Level, rollout.OwnerId).AuditTarget, rollout.OwnerName,
                detail: $"{from} → {rollout.State}: {rollout.StateReason}", ct: ct);
        }

        LogTransition(logger, rollout.Id, rollout.Level.ToString(), rollout.OwnerName, from.ToString(), rollout.State.ToString());
        changes.Publish(new FleetConfig.ConfigChanged(rollout.Level, rollout.OwnerId));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Config rollout {Id} ({Level} {Owner}): {From} → {To}")]
    private static partial void LogTransition(ILogger logger, string id, string level, string owner, string from, string to);
}

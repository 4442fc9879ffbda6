using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Groups;
using Portal.Shared.Config;
using Portal.Shared.Deployments;

namespace Portal.Features.FleetConfig;

/// <summary>
/// Config changes that roll out with a strategy: started by <see cref="ConfigSetService"/>, listed, paused, resumed
/// and rolled back here (each action audited); stepped by the rollout loop (Deployments' ConfigRolloutStepper), which
/// releases the devices batch by batch and judges each by its report of the desired state that carries the change.
/// </summary>
public sealed class ConfigRolloutService(IDbContextFactory<PortalDbContext> dbFactory, GroupService groups, TimeProvider clock, AuditLog audit, Notifier<ConfigChanged> notifier)
{
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Rollback = "rollback";
    public static readonly string[] Actions = [Pause, Resume, Rollback];

    /// <summary>What a second change of a level gets while the first one still rolls out.</summary>
    public const string Busy = "A change of this level is still rolling out: let it finish, or roll it back, before changing the level again.";

    /// <summary>The rollout still holding devices of this level, if any.</summary>
    internal static Task<ConfigRollout?> ActiveAsync(PortalDbContext db, ConfigScope scope, CancellationToken ct) =>
        db.ConfigRollouts.Where(r => r.Level == scope.Level && r.OwnerId == scope.OwnerId
            && (r.State == DeploymentState.InProgress || r.State == DeploymentState.Paused || r.State == DeploymentState.Aborted)).FirstOrDefaultAsync(ct);

    /// <summary>Adds a rollout of a change to the level's set (not saved: the caller saves it with the set).</summary>
    internal async Task<ConfigRollout> AddAsync(PortalDbContext db, ConfigScope scope, string ownerName, ConfigSet? before, string change, RolloutStrategy strategy, AuditActor actor, DateTimeOffset now, CancellationToken ct)
    {
        var devices = scope.Level switch
        {
            ConfigLevel.Device => [scope.OwnerId],
            ConfigLevel.Group => (await groups.GetAsync(scope.OwnerId, ct))?.Members.Select(m => m.DeviceId).ToList() ?? [],
            _ => await db.Devices.Where(d => d.RevokedAt == null).Select(d => d.Id).ToListAsync(ct),
        };
        if (scope.Level != ConfigLevel.Fleet)
        {
            // A revoked device keeps its group membership and device-level set, but reports nothing any more.
            var listed = devices;
            devices = await db.Devices.Where(d => listed.Contains(d.Id) && d.RevokedAt == null).Select(d => d.Id).ToListAsync(ct);
        }

        var rollout = new ConfigRollout
        {
            Level = scope.Level, OwnerId = scope.OwnerId, OwnerName = ownerName, Change = change.Length > 4000 ? change[..4000] : change,
            Strategy = strategy, PreviousValues = new(before?.Values ?? [], StringComparer.Ordinal), PreviousFiles = new(before?.Files ?? [], StringComparer.Ordinal),
            Targets = devices.Order(StringComparer.Ordinal).Select(id => new ConfigRolloutTarget { DeviceId = id, UpdatedAt = now }).ToList(),
            CreatedBy = actor.Name, CreatedAt = now, UpdatedAt = now,
        };
        if (devices.Count == 0)
        {
            // Nothing to release: the change applies at once, and the level is not held by a rollout that never ends.
            (rollout.State, rollout.StateReason) = (DeploymentState.Completed, "No device had this level's config when it changed: it applied at once");
        }

        db.ConfigRollouts.Add(rollout);
        return rollout;
    }

    public async Task<IReadOnlyList<ConfigRolloutDto>> ListAsync(int count = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rollouts = await db.ConfigRollouts.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(count, 1, 200)).ToListAsync(cancellationToken);
        return await ToDtosAsync(db, rollouts, cancellationToken);
    }

    public async Task<ConfigRolloutDto?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rollout = await db.ConfigRollouts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return rollout is null ? null : (await ToDtosAsync(db, [rollout], cancellationToken))[0];
    }

    /// <summary>
    /// Pause (stop releasing), resume (failures so far accepted) or roll back (the level's values before the change
    /// written back). A rollout step storing the same rollout at the same moment makes the write stale: the action is
    /// decided again on what is stored now (a few times) instead of answering the operator with a conflict.
    /// </summary>
    public async Task<OperationResult<ConfigRolloutDto>> ActAsync(string id, string action, AuditActor actor, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryActAsync(id, action, actor, cancellationToken) is { } result)
            {
                return result;
            }

            if (attempt == 5)
            {
                return OperationResult<ConfigRolloutDto>.Fail(OperationOutcome.Conflict, "The rollout kept changing at the same moment; look at it again and retry.");
            }
        }
    }

    /// <summary>Null when the write was stale.</summary>
    private async Task<OperationResult<ConfigRolloutDto>?> TryActAsync(string id, string action, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rollout = await db.ConfigRollouts.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rollout is null)
        {
            return OperationResult<ConfigRolloutDto>.Fail(OperationOutcome.NotFound, "There is no such config rollout.");
        }

        var to = (action, rollout.State) switch
        {
            (Pause, DeploymentState.InProgress) => DeploymentState.Paused,
            (Resume, DeploymentState.Paused or DeploymentState.Aborted) => DeploymentState.InProgress,
            (Rollback, DeploymentState.InProgress or DeploymentState.Paused or DeploymentState.Aborted or DeploymentState.Completed
                or DeploymentState.CompletedWithFailures or DeploymentState.Failed) => DeploymentState.RolledBack,
            _ => (DeploymentState?)null,
        };
        if (to is not { } state)
        {
            return OperationResult<ConfigRolloutDto>.Fail(
                Actions.Contains(action) ? OperationOutcome.Conflict : OperationOutcome.Invalid,
                Actions.Contains(action) ? $"A config rollout that is {rollout.State} cannot {action}." : $"Unknown action '{action}': use pause, resume or rollback.");
        }

        var now = clock.GetUtcNow();
        if (state == DeploymentState.RolledBack && !await RollBackAsync(db, rollout, now, $"Rolled back by {actor.Name}", cancellationToken))
        {
            return OperationResult<ConfigRolloutDto>.Fail(OperationOutcome.Conflict, "The level was changed again after this rollout: roll back the newer change instead.");
        }

        if (action == Resume)
        {
            rollout.FailuresAccepted = rollout.Targets.Count(t => t.State == DeviceRolloutState.Failed);
        }

        (rollout.State, rollout.StateReason, rollout.UpdatedAt) = (state, state == DeploymentState.RolledBack ? rollout.StateReason : $"{Past(action)} by {actor.Name}", now);
        rollout.ConcurrencyStamp++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }

        var auditAction = action switch { Pause => AuditActions.ConfigRolloutPaused, Resume => AuditActions.ConfigRolloutResumed, _ => AuditActions.ConfigRolloutRolledBack };
        await audit.RecordAsync(actor, auditAction, new ConfigScope(rollout.Level, rollout.OwnerId).AuditTarget, rollout.OwnerName, detail: $"{rollout.Level}: {rollout.Change}", ct: cancellationToken);
        notifier.Publish(new ConfigChanged(rollout.Level, rollout.OwnerId));
        return OperationResult<ConfigRolloutDto>.Ok((await ToDtosAsync(db, [rollout], cancellationToken))[0]);
    }

    /// <summary>
    /// Writes the level's values from before the change back (not saved), so every device of it resolves them again.
    /// False when the set changed since (a later change without a rollout): that one is not undone silently.
    /// </summary>
    public static async Task<bool> RollBackAsync(PortalDbContext db, ConfigRollout rollout, DateTimeOffset now, string why, CancellationToken ct)
    {
        var set = await db.ConfigSets.FirstOrDefaultAsync(c => c.Level == rollout.Level && c.OwnerId == rollout.OwnerId, ct);
        var later = await db.ConfigRollouts.AnyAsync(r => r.Level == rollout.Level && r.OwnerId == rollout.OwnerId && r.CreatedAt > rollout.CreatedAt && r.Id != rollout.Id, ct);
        if (later || (set is not null && set.UpdatedAt > rollout.CreatedAt.AddMilliseconds(1)))
        {
            return false;
        }

        if (set is not null)
        {
            (set.Values, set.Files, set.UpdatedAt) = (new(rollout.PreviousValues, StringComparer.Ordinal), new(rollout.PreviousFiles, StringComparer.Ordinal), now);
        }

        foreach (var target in rollout.Targets.Where(t => t.ReleasedAt is not null))
        {
            (target.State, target.UpdatedAt) = (DeviceRolloutState.RolledBack, now);
        }

        (rollout.State, rollout.StateReason, rollout.UpdatedAt) = (DeploymentState.RolledBack, why, now);
        return true;
    }

    private static string Past(string action) => action switch { Pause => "Paused", Resume => "Resumed", _ => "Rolled back" };

    private static async Task<IReadOnlyList<ConfigRolloutDto>> ToDtosAsync(PortalDbContext db, IReadOnlyList<ConfigRollout> rollouts, CancellationToken ct)
    {
        var ids = rollouts.SelectMany(r => r.Targets.Select(t => t.DeviceId)).Distinct().ToList();
        var names = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, StringComparer.Ordinal, ct);
        return rollouts.Select(r => new ConfigRolloutDto(
            r.Id, r.Level, r.Level == ConfigLevel.Fleet ? null : r.OwnerId, r.OwnerName, r.Change, r.Strategy, r.State, r.StateReason, r.CreatedBy, r.CreatedAt, r.UpdatedAt,
            r.Targets.Select(t => new ConfigRolloutDeviceDto(t.DeviceId, names.GetValueOrDefault(t.DeviceId) ?? t.DeviceId, t.State, t.Reason, t.ReleasedAt)).ToList())).ToList();
    }
}

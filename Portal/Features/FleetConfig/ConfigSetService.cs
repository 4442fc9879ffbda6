using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>Config sets at the three levels: read, replace (audited with a diff), and told to those who must follow a change.</summary>
public sealed class ConfigSetService(IDbContextFactory<PortalDbContext> dbFactory, ConfigRolloutService rollouts, TimeProvider clock, AuditLog audit, Notifier<ConfigChanged> notifier)
{
    public async Task<OperationResult<ConfigSetDto>> GetAsync(ConfigScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await ConfigOwners.NameAsync(db, scope, cancellationToken) is null)
        {
            return OperationResult<ConfigSetDto>.Fail(OperationOutcome.NotFound, ConfigOwners.Missing);
        }

        var set = await db.ConfigSets.AsNoTracking().FirstOrDefaultAsync(c => c.Level == scope.Level && c.OwnerId == scope.OwnerId, cancellationToken);
        return OperationResult<ConfigSetDto>.Ok(ToDto(scope, set));
    }

    /// <summary>The sets stored for these scopes (a scope without one reads as empty), in the order given.</summary>
    public async Task<IReadOnlyList<ConfigSetDto>> ReadAsync(IReadOnlyList<ConfigScope> scopes, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owners = scopes.Select(s => s.OwnerId).Distinct().ToList();
        var stored = await db.ConfigSets.AsNoTracking().Where(c => owners.Contains(c.OwnerId)).ToListAsync(cancellationToken);
        return scopes.Select(s => ToDto(s, stored.FirstOrDefault(c => c.Level == s.Level && c.OwnerId == s.OwnerId))).ToList();
    }

    /// <summary>Replaces the whole set at one level.</summary>
    public async Task<OperationResult<ConfigSetDto>> SaveAsync(ConfigScope scope, SaveConfigSetRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var values = request.Values?.ToDictionary(StringComparer.Ordinal) ?? [];
        var files = request.Files?.ToDictionary(StringComparer.Ordinal) ?? [];
        if (ConfigRules.SetProblem(values, files) is { } problem)
        {
            return OperationResult<ConfigSetDto>.Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await ConfigOwners.NameAsync(db, scope, cancellationToken) is not { } ownerName)
        {
            return OperationResult<ConfigSetDto>.Fail(OperationOutcome.NotFound, ConfigOwners.Missing);
        }

        if (request.Rollout?.Problem() is { } strategyProblem)
        {
            return OperationResult<ConfigSetDto>.Fail(OperationOutcome.Invalid, strategyProblem);
        }

        // Devices still held on the values before a change would otherwise jump over it to a third set of values.
        if (await ConfigRolloutService.ActiveAsync(db, scope, cancellationToken) is not null)
        {
            return OperationResult<ConfigSetDto>.Fail(OperationOutcome.Conflict, ConfigRolloutService.Busy);
        }

        var set = await db.ConfigSets.FirstOrDefaultAsync(c => c.Level == scope.Level && c.OwnerId == scope.OwnerId, cancellationToken);
        var before = set is null ? null : new ConfigSet { Level = set.Level, OwnerId = set.OwnerId, Values = new(set.Values), Files = new(set.Files) };
        if (set is null)
        {
            set = db.ConfigSets.Add(new ConfigSet { Level = scope.Level, OwnerId = scope.OwnerId }).Entity;
        }

        var diff = ConfigDiff.Describe(set.Values, values, set.Files, files);
        set.Values = values;
        set.Files = files;
        set.UpdatedAt = clock.GetUtcNow();
        var rollout = request.Rollout is { } strategy
            ? await rollouts.AddAsync(db, scope, ownerName, before, diff, strategy, actor, set.UpdatedAt, cancellationToken)
            : null;
        await db.SaveChangesAsync(cancellationToken);
        var how = rollout is null ? "" : $" (rolling out to {rollout.Targets.Count} device{(rollout.Targets.Count == 1 ? "" : "s")}: {StrategyText(rollout.Strategy)})";
        await audit.RecordAsync(actor, AuditActions.ConfigChanged, scope.AuditTarget, ownerName, detail: $"{scope.Level}: {diff}{how}", ct: cancellationToken);
        notifier.Publish(new ConfigChanged(scope.Level, scope.OwnerId));
        return OperationResult<ConfigSetDto>.Ok(ToDto(scope, set, rollout?.Id));
    }

    private static string StrategyText(Portal.Shared.Deployments.RolloutStrategy s) => s.Kind == Portal.Shared.Deployments.RolloutKind.AllAtOnce
        ? "all at once"
        : $"{s.BatchSize} at a time, {(s.OnFailure == Portal.Shared.Deployments.FailureAction.Pause ? "pause" : "roll back")} above {s.FailureThresholdPercent:0.#}% failed";

    private static ConfigSetDto ToDto(ConfigScope scope, ConfigSet? set, string? rolloutId = null) =>
        new(scope.Level, scope.ShownOwnerId, set?.Values ?? [], set?.Files ?? [], set?.UpdatedAt, rolloutId);
}

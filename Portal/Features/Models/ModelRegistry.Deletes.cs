using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// Deletes: a version, or a whole model, that no active deployment uses and that is not in Staging or Production. Anything a deployment still delivers is refused
/// with the list of those deployments; a stored file goes only when no remaining version shares it.
/// </summary>
public sealed partial class ModelRegistry
{
    public async Task<OperationResult<bool>> DeleteVersionAsync(string idOrName, int number, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await FindAsync(db, idOrName, ct);
        var version = model is null ? null : await db.ModelVersions.FirstOrDefaultAsync(v => v.ModelId == model.Id && v.Number == number, ct);
        if (version is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, $"There is no version {number} of model '{idOrName}'.");
        }

        if (version.Stage is ModelStage.Production or ModelStage.Staging)
        {
            return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                $"{model!.Name} v{number} is in {version.Stage}: whoever relies on the {version.Stage.ToString().ToLowerInvariant()} version would lose it unannounced. Move it to Archived (or Draft) first, then delete it.");
        }

        var users = (await ActiveDeploymentsAsync(db, model!.Id, ct)).Where(d => d.Model!.Version == number).ToList();
        if (users.Count > 0)
        {
            return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                $"{model.Name} v{number} is used by {Deployments(users)}. Roll back or delete those deployments first, or archive the version to stop new ones.");
        }

        db.ModelVersions.Remove(version);
        db.ModelProfileRuns.RemoveRange(await db.ModelProfileRuns.Where(r => r.ModelVersionId == version.Id).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        var files = await RemoveUnsharedFilesAsync(db, [version], ct);
        await audit.RecordAsync(actor, AuditActions.ModelVersionDeleted, AuditTargets.Model(model.Id), $"{model.Name} v{number}", detail: files, ct: ct);
        changes.Publish(new ModelChanged(model.Id));
        return OperationResult<bool>.Ok(true);
    }

    public async Task<OperationResult<bool>> DeleteModelAsync(string idOrName, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await db.Models.FirstOrDefaultAsync(m => m.Id == idOrName || m.Name == idOrName, ct);
        if (model is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, $"There is no model '{idOrName}'.");
        }

        var users = await ActiveDeploymentsAsync(db, model.Id, ct);
        if (users.Count > 0)
        {
            return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                $"{model.Name} is used by {Deployments(users)}. Roll back or delete those deployments first.");
        }

        var versions = await db.ModelVersions.Where(v => v.ModelId == model.Id).ToListAsync(ct);
        if (versions.Where(v => v.Stage is ModelStage.Production or ModelStage.Staging).OrderBy(v => v.Number).ToList() is { Count: > 0 } staged)
        {
            return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                $"{model.Name} has versions in use by stage: {string.Join(", ", staged.Select(v => $"v{v.Number} ({v.Stage})"))}. Move them to Archived first, then delete the model.");
        }

        var versionIds = versions.Select(v => v.Id).ToList();
        db.ModelProfileRuns.RemoveRange(await db.ModelProfileRuns.Where(r => versionIds.Contains(r.ModelVersionId)).ToListAsync(ct));
        db.ModelVersions.RemoveRange(versions);
        db.Models.Remove(model);
        await db.SaveChangesAsync(ct);
        var files = await RemoveUnsharedFilesAsync(db, versions, ct);
        await audit.RecordAsync(actor, AuditActions.ModelDeleted, AuditTargets.Model(model.Id), model.Name,
            detail: $"{versions.Count} version(s); {files}", ct: ct);
        changes.Publish(new ModelChanged(model.Id));
        return OperationResult<bool>.Ok(true);
    }

    /// <summary>Deployments that still deliver (or may hand back) a version of the model: every one not rolled back.</summary>
    private static async Task<List<Deployment>> ActiveDeploymentsAsync(PortalDbContext db, string modelId, CancellationToken ct) =>
        await db.Deployments.AsNoTracking().Where(d => d.Model != null && d.SourceId == modelId && d.State != DeploymentState.RolledBack)
            .OrderBy(d => d.Name).ToListAsync(ct);

    private static string Deployments(List<Deployment> users) =>
        $"{users.Count} active deployment{(users.Count == 1 ? "" : "s")}: " +
        string.Join(", ", users.Take(10).Select(d => $"'{d.Name}' (v{d.Model!.Version}, {d.State})")) + (users.Count > 10 ? $" and {users.Count - 10} more" : "");

    /// <summary>Removes the stored files of deleted versions that no remaining version (of any model) shares; says what happened.</summary>
    private async Task<string> RemoveUnsharedFilesAsync(PortalDbContext db, IEnumerable<ModelVersion> deleted, CancellationToken ct)
    {
        var hashes = deleted.SelectMany(v => new[] { v.Sha256, v.OptimizedSha256 }).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var shared = (await db.ModelVersions.AsNoTracking()
                .Where(v => hashes.Contains(v.Sha256) || (v.OptimizedSha256 != null && hashes.Contains(v.OptimizedSha256)))
                .Select(v => new { v.Sha256, v.OptimizedSha256 }).ToListAsync(ct))
            .SelectMany(v => new[] { v.Sha256, v.OptimizedSha256 }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var removed = hashes.Where(h => !shared.Contains(h)).ToList();
        removed.ForEach(store.Remove);
        var kept = hashes.Count - removed.Count;
        return $"{removed.Count} stored file(s) removed" + (kept > 0 ? $", {kept} kept (shared with another version)" : "");
    }
}

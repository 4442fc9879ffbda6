using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Notifications;
using Portal.Shared.Deployments;
using Portal.Shared.Models;
using Portal.Shared.Notifications;

namespace Portal.Features.Models;

/// <summary>Published when a model or one of its versions changes, for live pages.</summary>
public sealed record ModelChanged(string ModelId);

/// <summary>
/// The model registry: models, their uploaded versions (validated, optimized, stored content-addressed), stages and
/// notes. A rejected upload leaves no file and no row; identical files are stored once.
/// </summary>
public sealed partial class ModelRegistry(
    IDbContextFactory<PortalDbContext> dbFactory,
    ArtifactStore store,
    Microsoft.Extensions.Options.IOptions<Portal.Configuration.PortalOptions> options,
    Notifier<ModelChanged> changes,
    AuditLog audit,
    TimeProvider clock,
    ILogger<ModelRegistry> logger)
{
    public const int MaxTags = 20;

    public async Task<IReadOnlyList<ModelDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var models = await db.Models.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);
        var versions = await db.ModelVersions.AsNoTracking().ToListAsync(ct);
        return models.Select(m =>
        {
            var mine = versions.Where(v => v.ModelId == m.Id).ToList();
            var latest = mine.MaxBy(v => v.Number);
            return ModelMapper.ToDto(m, null, latest is null ? null : ModelMapper.ToDto(latest, m.Name, []), mine.Count);
        }).ToList();
    }

    /// <summary>One model with every version, newest first; by id or by name.</summary>
    public async Task<ModelDto?> GetAsync(string idOrName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await FindAsync(db, idOrName, ct);
        if (model is null)
        {
            return null;
        }

        var versions = await db.ModelVersions.AsNoTracking().Where(v => v.ModelId == model.Id).OrderByDescending(v => v.Number).ToListAsync(ct);
        var usage = await UsageAsync(db, model.Id, ct);
        var dtos = versions.Select(v => ModelMapper.ToDto(v, model.Name, usage.GetValueOrDefault(v.Number) ?? [])).ToList();
        return ModelMapper.ToDto(model, dtos, dtos.FirstOrDefault(), dtos.Count);
    }

    public async Task<ModelVersionDto?> GetVersionAsync(string idOrName, int version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await FindAsync(db, idOrName, ct);
        if (model is null)
        {
            return null;
        }

        var row = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ModelId == model.Id && v.Number == version, ct);
        return row is null ? null : ModelMapper.ToDto(row, model.Name, (await UsageAsync(db, model.Id, ct)).GetValueOrDefault(version) ?? []);
    }

    public async Task<OperationResult<ModelDto>> CreateAsync(CreateModelRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        if (ModelNames.Problem(request?.Name) is { } problem)
        {
            return OperationResult<ModelDto>.Fail(OperationOutcome.Invalid, problem);
        }

        if ((request!.Description?.Length ?? 0) > 2000)
        {
            return OperationResult<ModelDto>.Fail(OperationOutcome.Invalid, "The description can be at most 2000 characters.");
        }

        if ((PlainText.Problem(request.Description, "description", multiline: true) ?? request.Tags?.Select(t => PlainText.Problem(t, "tag")).FirstOrDefault(p => p is not null)) is { } text)
        {
            return OperationResult<ModelDto>.Fail(OperationOutcome.Invalid, text);
        }

        var tags = (request.Tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList();
        if (tags.Count > MaxTags || tags.Any(t => t.Length > 40))
        {
            return OperationResult<ModelDto>.Fail(OperationOutcome.Invalid, $"At most {MaxTags} tags of at most 40 characters each.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Models.AnyAsync(m => m.Name == request.Name, ct))
        {
            return OperationResult<ModelDto>.Fail(OperationOutcome.Conflict, $"A model named '{request.Name}' already exists.");
        }

        var now = clock.GetUtcNow();
        var model = new RegisteredModel { Name = request.Name, Description = request.Description?.Trim() ?? "", Tags = tags, CreatedBy = actor.Name, CreatedAt = now, UpdatedAt = now };
        db.Models.Add(model);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (StorageFailures.IsUniqueViolation(ex))
        {
            return OperationResult<ModelDto>.Fail(OperationOutcome.Conflict, $"A model named '{request.Name}' already exists.");
        }

        await audit.RecordAsync(actor, AuditActions.ModelCreated, AuditTargets.Model(model.Id), model.Name, ct: ct);
        changes.Publish(new ModelChanged(model.Id));
        return OperationResult<ModelDto>.Ok(ModelMapper.ToDto(model, [], null, 0));
    }

    /// <param name="actor">Who changes it; null when the change completes another recorded action (notes sent after an upload's file).</param>
    public async Task<OperationResult<ModelVersionDto>> UpdateVersionAsync(
        string idOrName, int number, UpdateModelVersionRequest? request, AuditActor? actor, CancellationToken ct = default)
    {
        if (request is null || (request.Stage is null && request.ReleaseNotes is null))
        {
            return OperationResult<ModelVersionDto>.Fail(OperationOutcome.Invalid, "Say what to change: stage and/or releaseNotes.");
        }

        if (request.Stage is { } stage && !Enum.IsDefined(stage))
        {
            return OperationResult<ModelVersionDto>.Fail(OperationOutcome.Invalid, "The stage must be Draft, Staging, Production or Archived.");
        }

        if ((request.ReleaseNotes?.Length ?? 0) > 4000 || PlainText.Problem(request.ReleaseNotes, "release notes", multiline: true) is not null)
        {
            return OperationResult<ModelVersionDto>.Fail(OperationOutcome.Invalid, PlainText.Problem(request.ReleaseNotes, "release notes", multiline: true) ?? "Release notes can be at most 4000 characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await FindAsync(db, idOrName, ct);
        var version = model is null ? null : await db.ModelVersions.FirstOrDefaultAsync(v => v.ModelId == model.Id && v.Number == number, ct);
        if (version is null)
        {
            return OperationResult<ModelVersionDto>.Fail(OperationOutcome.NotFound, $"There is no version {number} of model '{idOrName}'.");
        }

        var before = version.Stage;
        version.Stage = request.Stage ?? version.Stage;
        version.ReleaseNotes = request.ReleaseNotes?.Trim() ?? version.ReleaseNotes;
        if (version.Stage != before)
        {
            FleetEvents.Add(db, FleetEventTypes.ModelVersionStaged, $"model:{model!.Id}", $"{model.Name} v{number}",
                new JsonObject { ["model"] = model.Name, ["version"] = number, ["from"] = before.ToString(), ["to"] = version.Stage.ToString(), ["by"] = actor?.Name ?? "the portal" },
                clock.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
        if (actor is not null)
        {
            var restaged = version.Stage != before;
            await audit.RecordAsync(actor, restaged ? AuditActions.ModelVersionRestaged : AuditActions.ModelVersionChanged,
                AuditTargets.Model(model!.Id), $"{model.Name} v{number}",
                detail: restaged ? $"{before} → {version.Stage}" : "release notes", ct: ct);
        }
        changes.Publish(new ModelChanged(model!.Id));
        return OperationResult<ModelVersionDto>.Ok(ModelMapper.ToDto(version, model.Name, (await UsageAsync(db, model.Id, ct)).GetValueOrDefault(number) ?? []));
    }

    /// <summary>Where a model's file is stored, for downloads; null when there is no such version.</summary>
    public async Task<(string Path, string FileName)?> FileAsync(string idOrName, int number, CancellationToken ct)
    {
        // Only the hash and name: a download needs neither the signature nor the deployments that use the version.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await FindAsync(db, idOrName, ct);
        var file = model is null ? null : await db.ModelVersions.AsNoTracking().Where(v => v.ModelId == model.Id && v.Number == number)
            .Select(v => new { v.Sha256, v.FileName }).FirstOrDefaultAsync(ct);
        return file is null || !store.Exists(file.Sha256) ? null : (store.PathOf(file.Sha256), file.FileName);
    }

    private static async Task<RegisteredModel?> FindAsync(PortalDbContext db, string idOrName, CancellationToken ct) =>
        await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == idOrName || m.Name == idOrName, ct);

    /// <summary>Deployments of each version of a model, with how many devices have it Ready.</summary>
    private static async Task<Dictionary<int, List<ModelUsage>>> UsageAsync(PortalDbContext db, string modelId, CancellationToken ct)
    {
        var deployments = await db.Deployments.AsNoTracking().Include(d => d.Targets)
            .Where(d => d.Model != null && d.SourceId == modelId).OrderByDescending(d => d.CreatedAt).ToListAsync(ct);
        return deployments.GroupBy(d => d.Model!.Version).ToDictionary(g => g.Key, g => g.Select(d =>
            new ModelUsage(d.Id, d.Name, d.State, d.Targets.Count, d.Targets.Count(t => t.State == DeviceRolloutState.Running))).ToList());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} uploaded: {Size} bytes, SHA-256 {Sha256}")]
    private static partial void LogUploaded(ILogger logger, string model, int version, long size, string sha256);
}

using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>Uploads: the part of the registry that turns a stream into a stored, validated, optimized version.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>
    /// Streams an upload to disk while hashing it, validates it in ONNX Runtime, writes the optimized variant, and only
    /// then stores both files and the version row. Every failure removes what was written.
    /// </summary>
    public async Task<OperationResult<ModelVersionDto>> UploadAsync(
        string idOrName, Stream content, string? fileName, string? releaseNotes, AuditActor actor, Action<long>? progress = null, CancellationToken ct = default)
    {
        static OperationResult<ModelVersionDto> Fail(OperationOutcome outcome, string problem) => OperationResult<ModelVersionDto>.Fail(outcome, problem);

        fileName = PlainText.Neutralize(Path.GetFileName(string.IsNullOrWhiteSpace(fileName) ? "model.onnx" : fileName.Trim()))!;
        if (fileName.Length > 255)
        {
            fileName = fileName[..255];
        }

        if ((releaseNotes?.Length ?? 0) > 4000 || PlainText.Problem(releaseNotes, "release notes", multiline: true) is not null)
        {
            return Fail(OperationOutcome.Invalid, PlainText.Problem(releaseNotes, "release notes", multiline: true) ?? "Release notes can be at most 4000 characters.");
        }

        RegisteredModel? target;
        await using (var lookup = await dbFactory.CreateDbContextAsync(ct))
        {
            target = await FindAsync(lookup, idOrName, ct);
            if (target is null)
            {
                return Fail(OperationOutcome.NotFound, $"There is no model '{idOrName}'.");
            }
        }

        async Task<OperationResult<ModelVersionDto>> RejectAsync(OperationOutcome outcome, string problem)
        {
            LogRejected(logger, idOrName, fileName, problem);
            await audit.RecordAsync(actor, AuditActions.ModelVersionRejected, AuditTargets.Model(target.Id), target.Name, AuditOutcomes.Failure,
                $"{fileName}: {problem}", CancellationToken.None);
            return Fail(outcome, problem);
        }

        StagedFile? staged = null;
        string? optimized = null;
        try
        {
            staged = await store.StageAsync(content, progress, ct);
            if (staged.TooLarge)
            {
                return await RejectAsync(OperationOutcome.TooLarge, $"'{fileName}' is larger than the {store.MaxUploadBytes / (1024 * 1024)} MB upload limit (Portal:Models:MaxUploadMb).");
            }

            var (signature, problem) = await Task.Run(() => ModelValidator.Inspect(staged.Path, fileName), ct);
            if (signature is null)
            {
                return await RejectAsync(OperationOutcome.Invalid, problem!);
            }

            optimized = store.NewTemporaryPath();
            var optimizeProblem = await ModelOptimizer.OptimizeAsync(staged.Path, optimized, staged.Size, options.Value.Models, ct);
            string? optimizedSha = null;
            long? optimizedSize = null;
            var variantSize = optimizeProblem is null ? new FileInfo(optimized).Length : 0;
            if (optimizeProblem is null && !ShippedModelFile.OptimizedHelps(staged.Size, variantSize))
            {
                // Folding can make a file larger; devices then get the original, and the copy is not kept.
                LogOptimizedNotSmaller(logger, fileName, variantSize, staged.Size);
                ArtifactStore.Discard(optimized);
            }
            else if (optimizeProblem is null)
            {
                optimizedSha = await ArtifactStore.HashAsync(optimized, ct);
                optimizedSize = variantSize;
            }
            else
            {
                LogNotOptimized(logger, fileName, optimizeProblem);
            }

            return await StoreAsync(idOrName, staged, optimized, optimizedSha, optimizedSize, signature, fileName, releaseNotes, actor, ct);
        }
        catch (IOException ex) when (ArtifactStore.IsDiskFull(ex))
        {
            LogDiskFull(logger, fileName);
            return Fail(OperationOutcome.InsufficientStorage, $"The portal's data disk is full, so '{fileName}' was not stored. Free space in the data directory and upload it again.");
        }
        finally
        {
            ArtifactStore.Discard(staged?.Path);
            ArtifactStore.Discard(optimized);
        }
    }

    /// <summary>
    /// Files first, row second: a row never points at a missing file. If the row cannot be stored (a full disk, a lost
    /// database), the files this upload put in place are removed again, so a failed upload leaves no file behind.
    /// </summary>
    private async Task<OperationResult<ModelVersionDto>> StoreAsync(string idOrName, StagedFile staged, string optimized, string? optimizedSha, long? optimizedSize,
        ModelSignature signature, string fileName, string? releaseNotes, AuditActor actor, CancellationToken ct)
    {
        var placed = new List<string>();
        try
        {
            if (store.Commit(staged.Path, staged.Sha256))
            {
                placed.Add(staged.Sha256);
            }

            if (optimizedSha is not null && File.Exists(optimized) && store.Commit(optimized, optimizedSha))
            {
                placed.Add(optimizedSha);
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var model = (await FindAsync(db, idOrName, ct))!;
            var now = clock.GetUtcNow();
            // Numbers come from the database; a concurrent upload to the same model loses the unique index race and retries.
            for (var attempt = 0; ; attempt++)
            {
                var number = (await db.ModelVersions.Where(v => v.ModelId == model.Id).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
                var version = new ModelVersion
                {
                    ModelId = model.Id, Number = number, Stage = ModelStage.Draft, ReleaseNotes = releaseNotes?.Trim() ?? "", FileName = fileName,
                    Sha256 = staged.Sha256, SizeBytes = staged.Size, OptimizedSha256 = optimizedSha, OptimizedSizeBytes = optimizedSize,
                    Signature = signature, UploadedBy = actor.Name, UploadedAt = now,
                };
                db.ModelVersions.Add(version);
                await db.Models.Where(m => m.Id == model.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.UpdatedAt, now), ct);
                try
                {
                    await db.SaveChangesAsync(ct);
                    placed.Clear();
                    LogUploaded(logger, model.Name, number, staged.Size, staged.Sha256);
                    await audit.RecordAsync(actor, AuditActions.ModelVersionUploaded, AuditTargets.Model(model.Id), $"{model.Name} v{number}",
                        detail: $"{fileName}, {staged.Size} bytes, SHA-256 {staged.Sha256}", ct: ct);
                    changes.Publish(new ModelChanged(model.Id));
                    return OperationResult<ModelVersionDto>.Ok(ModelMapper.ToDto(version, model.Name, []));
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    db.Entry(version).State = EntityState.Detached;
                    if (!await db.ModelVersions.AnyAsync(v => v.ModelId == model.Id && v.Number == number, ct))
                    {
                        // Not a lost race for the number: a real failure, which the files go with.
                        throw;
                    }
                }
            }
        }
        finally
        {
            // Only files this upload created: an identical file stored before belongs to the versions that reference it.
            placed.ForEach(store.Remove);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload of {File} to model {Model} rejected: {Problem}")]
    private static partial void LogRejected(ILogger logger, string model, string file, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The data disk is full: the upload of {File} was not stored")]
    private static partial void LogDiskFull(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "The optimized copy of {File} ({OptimizedBytes} bytes) is not smaller than the original ({OriginalBytes} bytes): devices get the original")]
    private static partial void LogOptimizedNotSmaller(ILogger logger, string file, long optimizedBytes, long originalBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} could not be optimized, devices will get the original: {Problem}")]
    private static partial void LogNotOptimized(ILogger logger, string file, string problem);
}

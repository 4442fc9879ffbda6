using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Models.Monitoring;

namespace Portal.Features.Models.Monitoring;

/// <summary>A model version's baseline (captured from a device serving it) and the drift measured against it.</summary>
public sealed class BaselineService(IDbContextFactory<PortalDbContext> dbFactory, ModelRegistry registry, AuditLog audit, TimeProvider clock)
{
    public const int MinRequests = 50;
    public const int MaxRequests = 100_000;

    public async Task<OperationResult<BaselineDto?>> GetAsync(string idOrName, int version, CancellationToken ct = default)
    {
        if (await registry.GetVersionAsync(idOrName, version, ct) is not { } found)
        {
            return OperationResult<BaselineDto?>.Fail(OperationOutcome.NotFound, $"There is no version {version} of model '{idOrName}'.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var baseline = await db.ModelBaselines.AsNoTracking().FirstOrDefaultAsync(b => b.Model == found.ModelName && b.Version == version, ct);
        return OperationResult<BaselineDto?>.Ok(baseline is null ? null : await ToDtoAsync(db, baseline, ct));
    }

    /// <summary>Starts capturing the version's baseline from the device's next requests; replaces any baseline it had.</summary>
    public async Task<OperationResult<BaselineDto>> CaptureAsync(string idOrName, int version, CaptureBaselineRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.DeviceId) || request.Requests is < MinRequests or > MaxRequests)
        {
            return OperationResult<BaselineDto>.Fail(OperationOutcome.Invalid, $"Name the device (deviceId) and how many requests to capture ({MinRequests} to {MaxRequests}).");
        }

        if (await registry.GetVersionAsync(idOrName, version, ct) is not { } found)
        {
            return OperationResult<BaselineDto>.Fail(OperationOutcome.NotFound, $"There is no version {version} of model '{idOrName}'.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.DeviceId && d.RevokedAt == null, ct);
        if (device is null)
        {
            return OperationResult<BaselineDto>.Fail(OperationOutcome.Invalid, $"There is no active device with the id '{request.DeviceId}'.");
        }

        if (!await db.DeviceModelMetrics.AnyAsync(m => m.DeviceId == device.Id && m.Model == found.ModelName && m.Version == version, ct))
        {
            return OperationResult<BaselineDto>.Fail(OperationOutcome.Conflict,
                $"{device.Name} does not serve {found.ModelName} v{version} now: deploy it there first, then capture its baseline from the requests it gets.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ModelBaselines.Where(b => b.Model == found.ModelName && b.Version == version).ExecuteDeleteAsync(ct);
        var baseline = new ModelBaseline
        {
            Model = found.ModelName, Version = version, DeviceId = device.Id, State = BaselineState.Capturing, TargetRequests = request.Requests,
            CreatedBy = actor.Name, CreatedAt = clock.GetUtcNow(),
        };
        db.ModelBaselines.Add(baseline);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(actor, AuditActions.ModelVersionBaselineSet, AuditTargets.Model(found.ModelId), $"{found.ModelName} v{version}",
            detail: $"capturing the next {request.Requests} requests on {device.Name}", ct: ct);
        return OperationResult<BaselineDto>.Ok(await ToDtoAsync(db, baseline, ct));
    }

    /// <summary>Sets the version's baseline from reference requests (inputs only), ready at once; replaces the one it had.</summary>
    public async Task<OperationResult<BaselineDto>> UploadAsync(string idOrName, int version, UploadBaselineRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        if (await registry.GetVersionAsync(idOrName, version, ct) is not { } found)
        {
            return OperationResult<BaselineDto>.Fail(OperationOutcome.NotFound, $"There is no version {version} of model '{idOrName}'.");
        }

        if (ReferenceData.Sketch(request, found.Signature.Inputs) is not { } sketched)
        {
            return OperationResult<BaselineDto>.Fail(OperationOutcome.Invalid, ReferenceData.Problem(request, found.Signature.Inputs)!);
        }

        var now = clock.GetUtcNow();
        var baseline = new ModelBaseline
        {
            Model = found.ModelName, Version = version, DeviceId = "", State = BaselineState.Ready, TargetRequests = request!.Requests.Count,
            Captured = sketched, Bins = DriftMath.Bins(sketched), CreatedBy = actor.Name, CreatedAt = now, ReadyAt = now,
        };
        if (baseline.Bins.Count == 0)
        {
            return OperationResult<BaselineDto>.Fail(OperationOutcome.Invalid, $"Send at least {DriftMath.MinCount} values of each feature: fewer cannot tell drift from chance.");
        }

        // Only a good upload replaces the baseline, in one transaction: a refused one leaves the old one as it was.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ModelBaselines.Where(b => b.Model == found.ModelName && b.Version == version).ExecuteDeleteAsync(ct);
        db.ModelBaselines.Add(baseline);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await audit.RecordAsync(actor, AuditActions.ModelVersionBaselineSet, AuditTargets.Model(found.ModelId), $"{found.ModelName} v{version}",
            detail: $"uploaded reference data: {request.Requests.Count} requests, {baseline.Bins.Count} features", ct: ct);
        return OperationResult<BaselineDto>.Ok(await ToDtoAsync(db, baseline, ct));
    }

    public async Task<OperationResult<BaselineDto?>> DeleteAsync(string idOrName, int version, AuditActor actor, CancellationToken ct = default)
    {
        if (await registry.GetVersionAsync(idOrName, version, ct) is not { } found)
        {
            return OperationResult<BaselineDto?>.Fail(OperationOutcome.NotFound, $"There is no version {version} of model '{idOrName}'.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ModelBaselines.Where(b => b.Model == found.ModelName && b.Version == version).ExecuteDeleteAsync(ct) == 0)
        {
            return OperationResult<BaselineDto?>.Fail(OperationOutcome.NotFound, $"{found.ModelName} v{version} has no baseline.");
        }

        await audit.RecordAsync(actor, AuditActions.ModelVersionBaselineDeleted, AuditTargets.Model(found.ModelId), $"{found.ModelName} v{version}", ct: ct);
        return OperationResult<BaselineDto?>.Ok(null);
    }

    /// <summary>Drift points of the version in the last <paramref name="hours"/> (1-720), oldest first; one device's when named.</summary>
    public async Task<OperationResult<IReadOnlyList<DriftPointDto>>> DriftAsync(string idOrName, int version, string? deviceId, int hours, CancellationToken ct = default)
    {
        if (await registry.GetVersionAsync(idOrName, version, ct) is not { } found)
        {
            return OperationResult<IReadOnlyList<DriftPointDto>>.Fail(OperationOutcome.NotFound, $"There is no version {version} of model '{idOrName}'.");
        }

        var since = clock.GetUtcNow() - TimeSpan.FromHours(Math.Clamp(hours, 1, 720));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var points = await db.ModelDriftPoints.AsNoTracking()
            .Where(p => p.Model == found.ModelName && p.Version == version && p.At >= since && (deviceId == null || p.DeviceId == deviceId))
            .OrderByDescending(p => p.At).Take(2000).ToListAsync(ct);
        var ids = points.Select(p => p.DeviceId).Distinct().ToList();
        var names = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return OperationResult<IReadOnlyList<DriftPointDto>>.Ok(points.OrderBy(p => p.At)
            .Select(p => new DriftPointDto(p.DeviceId, names.GetValueOrDefault(p.DeviceId, p.DeviceId), p.At, p.MaxPsi, p.WorstFeature, p.Requests, p.Features)).ToList());
    }

    private static async Task<BaselineDto> ToDtoAsync(PortalDbContext db, ModelBaseline b, CancellationToken ct)
    {
        var device = b.DeviceId.Length == 0 ? "uploaded reference data"
            : await db.Devices.AsNoTracking().Where(d => d.Id == b.DeviceId).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? b.DeviceId;
        return new BaselineDto(b.Model, b.Version, b.State, b.DeviceId, device, b.TargetRequests, Sketches.Observations(b.Captured),
            b.State == BaselineState.Ready ? b.Bins.Select(x => x.Feature).ToList() : b.Captured.Select(f => f.Name).ToList(), b.CreatedBy, b.CreatedAt, b.ReadyAt);
    }
}

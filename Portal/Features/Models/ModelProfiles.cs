using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Shared.Hubs;
using Portal.Shared.Models;
using Portal.Shared.Routes;

namespace Portal.Features.Models;

/// <summary>Published when a profile run starts or finishes, for the version's page.</summary>
public sealed record ProfileChanged(string ModelVersionId);

/// <summary>
/// Benchmarks of a model version on chosen devices: each online device fetches the file, loads it and times runs on
/// synthetic inputs (a client result over the hub); results are stored, so the table survives a reload.
/// </summary>
public sealed partial class ModelProfiles(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHubClients<IAgentClient> agents,
    Portal.Features.Cluster.FleetPresence presence,
    Notifier<ProfileChanged> changes,
    Portal.Features.Audit.AuditLog audit,
    TimeProvider clock,
    ILogger<ModelProfiles> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    public const int MaxDevices = 50;

    public async Task<OperationResult<IReadOnlyList<ModelProfileDto>>> ListAsync(string idOrName, int number, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await FindVersionAsync(db, idOrName, number, ct);
        if (version is null)
        {
            return OperationResult<IReadOnlyList<ModelProfileDto>>.Fail(OperationOutcome.NotFound, $"There is no version {number} of model '{idOrName}'.");
        }

        var runs = await db.ModelProfileRuns.AsNoTracking().Where(p => p.ModelVersionId == version.Id).OrderByDescending(p => p.Id).Take(200).ToListAsync(ct);
        var ids = runs.Select(r => r.DeviceId).Distinct().ToList();
        var names = await db.Devices.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return OperationResult<IReadOnlyList<ModelProfileDto>>.Ok(runs.Select(r => new ModelProfileDto(r.Id, r.DeviceId, names.GetValueOrDefault(r.DeviceId) ?? r.DeviceId,
            number, r.State, r.Result, r.Error, r.RequestedBy, r.RequestedAt, r.FinishedAt)).ToList());
    }

    public async Task<OperationResult<IReadOnlyList<ModelProfileDto>>> StartAsync(string idOrName, int number, ProfileModelRequest? request, Portal.Features.Audit.AuditActor actor, CancellationToken ct)
    {
        static OperationResult<IReadOnlyList<ModelProfileDto>> Invalid(string problem) => OperationResult<IReadOnlyList<ModelProfileDto>>.Fail(OperationOutcome.Invalid, problem);

        var deviceIds = (request?.DeviceIds ?? []).Where(d => !string.IsNullOrWhiteSpace(d)).Distinct().ToList();
        if (deviceIds.Count is 0 or > MaxDevices)
        {
            return Invalid($"Choose between 1 and {MaxDevices} devices to profile on.");
        }

        if (request!.Runs is < 1 or > Agent.Inference.ModelProfiler.MaxRuns)
        {
            return Invalid($"Runs must be between 1 and {Agent.Inference.ModelProfiler.MaxRuns}.");
        }

        if (!ExecutionProviders.IsKnown(request.ExecutionProvider))
        {
            return Invalid("The execution provider must be 'cpu' or 'cuda'.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await FindVersionAsync(db, idOrName, number, ct);
        if (version is null)
        {
            return OperationResult<IReadOnlyList<ModelProfileDto>>.Fail(OperationOutcome.NotFound, $"There is no version {number} of model '{idOrName}'.");
        }

        var model = await db.Models.AsNoTracking().FirstAsync(m => m.Id == version.ModelId, ct);
        var devices = await db.Devices.AsNoTracking().Where(d => deviceIds.Contains(d.Id) && d.RevokedAt == null).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        if (deviceIds.FirstOrDefault(d => !devices.ContainsKey(d)) is { } unknown)
        {
            return Invalid($"There is no active device with the id {unknown}.");
        }

        var by = actor.Name;
        var (sha, size, _) = ShippedModelFile.Choose(version, useOriginal: false);
        var now = clock.GetUtcNow();
        var runs = deviceIds.Select(id => new ModelProfileRun
        {
            ModelVersionId = version.Id, DeviceId = id, Sha256 = sha, RequestedBy = by, RequestedAt = now,
            State = presence.IsOnline(id) ? ProfileState.Running : ProfileState.Failed,
            Error = presence.IsOnline(id) ? null : "The device is offline.",
            FinishedAt = presence.IsOnline(id) ? null : now,
        }).ToList();
        db.ModelProfileRuns.AddRange(runs);
        await db.SaveChangesAsync(ct);
        changes.Publish(new ProfileChanged(version.Id));
        // Profiling sends a job to devices and loads them for minutes: who asked, for what, where, is audited.
        await audit.RecordAsync(actor, Portal.Features.Audit.AuditActions.ModelVersionProfiled, Portal.Features.Audit.AuditTargets.Model(model.Id),
            $"{model.Name} v{number}", detail: $"{request.Runs} runs on {request.ExecutionProvider}, devices: {string.Join(", ", devices.Values.Order(StringComparer.Ordinal))}", ct: ct);
        foreach (var run in runs.Where(r => r.State == ProfileState.Running))
        {
            var job = new ProfileJob(run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), model.Name, number, sha, size,
                ApiRoutes.AgentArtifact(sha), request.ExecutionProvider, Math.Min(10, request.Runs), request.Runs);
            _ = RunAsync(run.Id, run.DeviceId, version.Id, job);
        }

        return OperationResult<IReadOnlyList<ModelProfileDto>>.Ok(runs.Select(r => new ModelProfileDto(r.Id, r.DeviceId, devices[r.DeviceId], number, r.State, null, r.Error,
            by, now, r.FinishedAt)).ToList());
    }

    /// <summary>Sends the job; the device answers through <see cref="ReceiveAsync"/>. No answer in time fails the run.</summary>
    private async Task RunAsync(long runId, string deviceId, string versionId, ProfileJob job)
    {
        try
        {
            if (presence.ConnectionIdOf(deviceId) is not { } connection)
            {
                await FinishAsync(runId, deviceId, versionId, null, "The device went offline.");
                return;
            }

            await agents.Client(connection).ProfileModel(job);
            await Task.Delay(Timeout, clock);
            await FinishAsync(runId, deviceId, versionId, null, $"The device did not answer within {Timeout.TotalMinutes:0} minutes.");
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or HubException)
        {
            await FinishAsync(runId, deviceId, versionId, null, $"The job could not be sent to the device: {ex.Message}");
        }
    }

    /// <summary>A device's answer; only to a run of its own that is still running.</summary>
    public async Task ReceiveAsync(string deviceId, ProfileReport report, CancellationToken ct)
    {
        if (!long.TryParse(report.ProfileId, System.Globalization.CultureInfo.InvariantCulture, out var runId))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versionId = await db.ModelProfileRuns.Where(p => p.Id == runId && p.DeviceId == deviceId).Select(p => p.ModelVersionId).FirstOrDefaultAsync(ct);
        if (versionId is not null)
        {
            await FinishAsync(runId, deviceId, versionId, report.Result.Error is null ? report.Result : null, report.Result.Error);
        }
    }

    public static string? Problem(ProfileReport? report) =>
        report?.Result is null || string.IsNullOrEmpty(report.ProfileId) || report.ProfileId.Length > 20 ? "The profile report is empty."
        : report.Result.Runs is < 0 or > Agent.Inference.ModelProfiler.MaxRuns || (report.Result.Error?.Length ?? 0) > 2000 || (report.Result.Note?.Length ?? 0) > 2000
            || (report.Result.ExecutionProvider?.Length ?? 0) > 16 || report.Result.MemoryBytes < 0
            || new[] { report.Result.LoadMs, report.Result.MeanMs, report.Result.P50Ms, report.Result.P95Ms, report.Result.P99Ms }.Any(v => !double.IsFinite(v) || v < 0)
            ? "The profile result is malformed."
        : null;

    /// <summary>Stores the outcome once: a run already finished (answered, timed out) stays as it is.</summary>
    private async Task FinishAsync(long runId, string deviceId, string versionId, ProfileResult? result, string? error)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var finished = await db.ModelProfileRuns.Where(p => p.Id == runId && p.DeviceId == deviceId && p.State == ProfileState.Running).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.State, error is null ? ProfileState.Done : ProfileState.Failed)
                .SetProperty(p => p.Result, result)
                .SetProperty(p => p.Error, error is { Length: > 1000 } ? error[..1000] : error)
                .SetProperty(p => p.FinishedAt, clock.GetUtcNow()));
            if (finished > 0)
            {
                changes.Publish(new ProfileChanged(versionId));
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            LogStoreFailed(logger, runId, ex.Message);
        }
    }

    private static async Task<ModelVersion?> FindVersionAsync(PortalDbContext db, string idOrName, int number, CancellationToken ct)
    {
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == idOrName || m.Name == idOrName, ct);
        return model is null ? null : await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ModelId == model.Id && v.Number == number, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the result of profile run {RunId}: {Error}")]
    private static partial void LogStoreFailed(ILogger logger, long runId, string error);
}

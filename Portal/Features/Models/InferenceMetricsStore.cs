using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>Published when a device reported inference metrics, for live pages.</summary>
public sealed record InferenceMetricsReported(string DeviceId, IReadOnlyList<string> Models);

/// <summary>Keeps the latest inference metrics each device reported for each model it serves.</summary>
public sealed class InferenceMetricsStore(
    IDbContextFactory<PortalDbContext> dbFactory,
    Notifier<InferenceMetricsReported> reported,
    Monitoring.ModelMonitoring monitoring,
    Microsoft.Extensions.Options.IOptionsMonitor<Configuration.PortalOptions> options)
{
    public static string? Problem(InferenceMetricsReport? report) =>
        report?.Models is null ? "The report is empty."
        : report.Models.Count > InferenceMetricsReport.MaxModels ? $"At most {InferenceMetricsReport.MaxModels} models per report."
        : report.Models.Any(m => m is null || ModelNames.Problem(m.Model) is not null || m.Version < 1 || m.Requests < 0 || m.Errors < 0
            || (m.ExecutionProvider?.Length ?? 0) > 16 || Bad(m.P50Ms) || Bad(m.P95Ms) || Bad(m.P99Ms)) ? "A model's metrics are malformed."
        : report.Models.Select(m => Monitoring.ModelMonitoring.Problem(m.Features)).FirstOrDefault(p => p is not null);

    private static bool Bad(double? ms) => ms is { } v && (!double.IsFinite(v) || v < 0);

    public async Task ReceiveAsync(string deviceId, InferenceMetricsReport report, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DeviceModelMetrics.Where(m => m.DeviceId == deviceId).ToDictionaryAsync(m => m.Model, StringComparer.Ordinal, ct);
        foreach (var m in report.Models)
        {
            if (!rows.TryGetValue(m.Model, out var row))
            {
                row = db.DeviceModelMetrics.Add(new DeviceModelMetrics { DeviceId = deviceId, Model = m.Model }).Entity;
            }

            Rebase(row, m, report.At, TimeSpan.FromSeconds(options.CurrentValue.ModelMonitoring.ErrorRateWindowSeconds));
            (row.Version, row.ExecutionProvider, row.Requests, row.Errors, row.P50Ms, row.P95Ms, row.P99Ms, row.At) =
                (m.Version, m.ExecutionProvider ?? "", m.Requests, m.Errors, m.P50Ms, m.P95Ms, m.P99Ms, report.At);
        }

        // Models the device no longer serves drop out.
        db.DeviceModelMetrics.RemoveRange(rows.Values.Where(r => report.Models.All(m => m.Model != r.Model)));
        await db.SaveChangesAsync(ct);
        await monitoring.ReceiveAsync(deviceId, report, ct);
        reported.Publish(new InferenceMetricsReported(deviceId, report.Models.Select(m => m.Model).ToList()));
    }

    /// <summary>
    /// Keeps what the "requests stopped" and error-rate alerts read: when requests last went up, and a base of the
    /// counters moved on every <paramref name="period"/> (to the previous report's), so the recent error rate covers one to
    /// two periods. An agent that started again (its counters went down) starts from zero.
    /// </summary>
    private static void Rebase(DeviceModelMetrics row, InferenceMetrics now, DateTimeOffset at, TimeSpan period)
    {
        if (now.Requests < row.Requests || row.Version != now.Version)
        {
            (row.BaseRequests, row.BaseErrors, row.BaseAt) = (0, 0, at);
        }
        else if (row.BaseAt is null || at - row.BaseAt >= period)
        {
            (row.BaseRequests, row.BaseErrors, row.BaseAt) = (row.Requests, row.Errors, row.At == default ? at : row.At);
        }

        if (now.Requests > row.Requests || (row.LastRequestAt is null && now.Requests > 0))
        {
            row.LastRequestAt = at;
        }
    }

    public async Task<IReadOnlyList<DeviceInferenceMetrics>> ForModelAsync(string model, int? version, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DeviceModelMetrics.AsNoTracking().Where(m => m.Model == model && (version == null || m.Version == version)).ToListAsync(ct);
        return await WithNamesAsync(db, rows, ct);
    }

    public async Task<IReadOnlyList<DeviceInferenceMetrics>> ForDeviceAsync(string deviceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DeviceModelMetrics.AsNoTracking().Where(m => m.DeviceId == deviceId).ToListAsync(ct);
        return await WithNamesAsync(db, rows, ct);
    }

    private static async Task<IReadOnlyList<DeviceInferenceMetrics>> WithNamesAsync(PortalDbContext db, List<DeviceModelMetrics> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.DeviceId).Distinct().ToList();
        var names = await db.Devices.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return rows.Select(r => new DeviceInferenceMetrics(r.DeviceId, names.GetValueOrDefault(r.DeviceId) ?? r.DeviceId, r.Model, r.Version, r.ExecutionProvider,
            r.Requests, r.Errors, r.P50Ms, r.P95Ms, r.P99Ms, r.At)).OrderBy(r => r.DeviceName, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal).ToList();
    }
}

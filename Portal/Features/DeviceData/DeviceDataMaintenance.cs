using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Features.Telemetry;

namespace Portal.Features.DeviceData;

/// <summary>Device data of a device older than the minute it arrived in: those minutes need rolling up again.</summary>
public sealed record DeviceDataLate(string DeviceId, DateTimeOffset Earliest) : ILateRows;

/// <summary>Rolls device data up into 1-minute aggregates per series and applies <c>Portal:DeviceData</c> retention.</summary>
public sealed class DeviceDataMaintenance(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<PortalOptions> options,
    Leases leases,
    Notifier<DeviceDataLate> lateNews,
    TimeProvider clock,
    ILogger<DeviceDataMaintenance> logger) : RollupMaintenance<DeviceDataLate>(dbFactory, leases, lateNews, clock, logger)
{
    protected override string LeaseName => LeaseNames.DeviceDataMaintenance;

    protected override TelemetryOptions Retention => options.Value.DeviceData;

    protected override DeviceDataLate Late(string deviceId, DateTimeOffset earliest) => new(deviceId, earliest);

    protected override async Task<DateTimeOffset?> StartAsync(PortalDbContext db, CancellationToken ct)
    {
        var lastMinute = await db.DeviceDataMinutes.MaxAsync(t => (DateTimeOffset?)t.Minute, ct);
        if (lastMinute is not null)
        {
            return lastMinute.Value.AddMinutes(1);
        }

        var first = await db.DeviceData.MinAsync(t => (DateTimeOffset?)t.At, ct);
        return first is null ? null : TelemetryRollup.MinuteOf(first.Value);
    }

    protected override async Task RollUpWindowAsync(PortalDbContext db, string? deviceId, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var raw = db.DeviceData.AsNoTracking().Where(t => t.At >= from && t.At < until);
        var minutes = db.DeviceDataMinutes.Where(t => t.Minute >= from && t.Minute < until);
        if (deviceId is not null)
        {
            raw = raw.Where(t => t.DeviceId == deviceId);
            minutes = minutes.Where(t => t.DeviceId == deviceId);
        }

        var aggregates = Aggregate(await raw.ToListAsync(ct));
        await minutes.ExecuteDeleteAsync(ct);
        db.DeviceDataMinutes.AddRange(aggregates);
    }

    protected override async Task DeleteExpiredAsync(PortalDbContext db, DateTimeOffset rawCutoff, DateTimeOffset aggregateCutoff, CancellationToken ct)
    {
        await db.DeviceData.Where(t => t.At < rawCutoff).ExecuteDeleteAsync(ct);
        await db.DeviceDataMinutes.Where(t => t.Minute < aggregateCutoff).ExecuteDeleteAsync(ct);
        // A series that sent nothing for as long as its roll-ups are kept has nothing left to show.
        await db.DeviceDataSeries.Where(t => t.LastAt < aggregateCutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>Pure: raw values into one aggregate per device, series and minute (the last by sequence).</summary>
    public static List<DeviceDataMinute> Aggregate(IEnumerable<DeviceDataRecord> rows) =>
        rows.GroupBy(r => (r.DeviceId, r.Series, Minute: TelemetryRollup.MinuteOf(r.At)))
            .Select(g =>
            {
                var ordered = g.OrderBy(r => r.Sequence).ToList();
                return new DeviceDataMinute
                {
                    DeviceId = g.Key.DeviceId,
                    Series = g.Key.Series,
                    Minute = g.Key.Minute,
                    Count = ordered.Count,
                    Mean = ordered.Average(r => r.Value),
                    Min = ordered.Min(r => r.Value),
                    Max = ordered.Max(r => r.Value),
                    Last = ordered[^1].Value,
                };
            })
            .ToList();
}

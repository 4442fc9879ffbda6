using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;

namespace Portal.Features.Telemetry;

/// <summary>Samples of a device older than the minute they arrived in: their minutes need rolling up again.</summary>
public sealed record TelemetryLate(string DeviceId, DateTimeOffset Earliest) : ILateRows;

/// <summary>Rolls telemetry up into 1-minute aggregates and applies <c>Portal:Telemetry</c> retention (see <see cref="RollupMaintenance{TLate}"/>).</summary>
public sealed class TelemetryMaintenance(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<PortalOptions> options,
    Leases leases,
    Notifier<TelemetryLate> lateNews,
    TimeProvider clock,
    ILogger<TelemetryMaintenance> logger) : RollupMaintenance<TelemetryLate>(dbFactory, leases, lateNews, clock, logger)
{
    protected override string LeaseName => LeaseNames.TelemetryMaintenance;

    protected override TelemetryOptions Retention => options.Value.Telemetry;

    protected override TelemetryLate Late(string deviceId, DateTimeOffset earliest) => new(deviceId, earliest);

    protected override async Task<DateTimeOffset?> StartAsync(PortalDbContext db, CancellationToken ct)
    {
        var lastMinute = await db.TelemetryMinutes.MaxAsync(t => (DateTimeOffset?)t.Minute, ct);
        if (lastMinute is not null)
        {
            return lastMinute.Value.AddMinutes(1);
        }

        var firstSample = await db.Telemetry.MinAsync(t => (DateTimeOffset?)t.At, ct);
        return firstSample is null ? null : TelemetryRollup.MinuteOf(firstSample.Value);
    }

    protected override async Task RollUpWindowAsync(PortalDbContext db, string? deviceId, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var raw = db.Telemetry.AsNoTracking().Where(t => t.At >= from && t.At < until);
        var minutes = db.TelemetryMinutes.Where(t => t.Minute >= from && t.Minute < until);
        if (deviceId is not null)
        {
            raw = raw.Where(t => t.DeviceId == deviceId);
            minutes = minutes.Where(t => t.DeviceId == deviceId);
        }

        var aggregates = TelemetryRollup.Aggregate(await raw.ToListAsync(ct));
        await minutes.ExecuteDeleteAsync(ct);
        db.TelemetryMinutes.AddRange(aggregates);
    }

    protected override async Task DeleteExpiredAsync(PortalDbContext db, DateTimeOffset rawCutoff, DateTimeOffset aggregateCutoff, CancellationToken ct)
    {
        await db.Telemetry.Where(t => t.At < rawCutoff).ExecuteDeleteAsync(ct);
        await db.TelemetryMinutes.Where(t => t.Minute < aggregateCutoff).ExecuteDeleteAsync(ct);
    }
}

using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Telemetry;

namespace Portal.Features.Telemetry;

/// <summary>Reads stored telemetry for the API and the device page.</summary>
public sealed class TelemetryService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxSamples = 5_000;

    public async Task<IReadOnlyList<TelemetrySample>> RangeAsync(string deviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Telemetry.AsNoTracking()
            .Where(t => t.DeviceId == deviceId && t.At >= from && t.At <= to)
            .OrderByDescending(t => t.At)
            .Take(MaxSamples)
            .ToListAsync(cancellationToken);
        return rows.OrderBy(t => t.Sequence).Select(ToSample).ToList();
    }

    public async Task<IReadOnlyList<TelemetryAggregate>> MinutesAsync(string deviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.TelemetryMinutes.AsNoTracking()
            .Where(t => t.DeviceId == deviceId && t.Minute >= from && t.Minute <= to)
            .OrderByDescending(t => t.Minute)
            .Take(MaxSamples * 30)
            .ToListAsync(cancellationToken);
        return rows.OrderBy(t => t.Minute).Select(m => new TelemetryAggregate(
            m.Minute, m.Samples, m.CpuPercentAvg, m.CpuPercentMax, m.MemoryUsedBytesAvg, m.MemoryTotalBytes, m.DiskUsedBytesAvg,
            m.DiskTotalBytes, m.LoadAverage1mAvg, m.NetworkReceivedBytes, m.NetworkSentBytes, m.TemperatureCelsiusMax)).ToList();
    }

    /// <summary>Raw samples for short ranges, 1-minute aggregates for long ones (or as asked).</summary>
    public async Task<TelemetrySeries?> SeriesAsync(string deviceId, DateTimeOffset from, DateTimeOffset to, string? resolution, CancellationToken cancellationToken = default)
    {
        var chosen = resolution?.ToLowerInvariant() switch
        {
            null or "" or "auto" => to - from <= TimeSpan.FromHours(6) ? "raw" : "minute",
            "raw" or "minute" => resolution.ToLowerInvariant(),
            _ => null,
        };
        return chosen switch
        {
            "raw" => new TelemetrySeries(chosen, from, to, await RangeAsync(deviceId, from, to, cancellationToken), []),
            "minute" => new TelemetrySeries(chosen, from, to, [], await MinutesAsync(deviceId, from, to, cancellationToken)),
            _ => null,
        };
    }

    private static TelemetrySample ToSample(TelemetryRecord t) => new(
        t.Sequence, t.At, t.CpuPercent, t.MemoryUsedBytes, t.MemoryTotalBytes, t.DiskUsedBytes, t.DiskTotalBytes,
        t.LoadAverage1m, t.NetworkReceivedBytes, t.NetworkSentBytes, t.TemperatureCelsius, t.GpuPercent, t.GpuMemoryUsedBytes);
}

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

    private static TelemetrySample ToSample(TelemetryRecord t) => new(
        t.Sequence, t.At, t.CpuPercent, t.MemoryUsedBytes, t.MemoryTotalBytes, t.DiskUsedBytes, t.DiskTotalBytes,
        t.LoadAverage1m, t.NetworkReceivedBytes, t.NetworkSentBytes, t.TemperatureCelsius, t.GpuPercent, t.GpuMemoryUsedBytes);
}

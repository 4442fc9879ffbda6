using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.DeviceData;

namespace Portal.Features.DeviceData;

/// <summary>Reads stored device data for the API, the device page and the Data page.</summary>
public sealed class DeviceDataService(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The most raw values one answer carries: the newest of the range.</summary>
    public const int MaxValues = 10_000;

    /// <summary>The most minutes one answer carries (about 35 days).</summary>
    public const int MaxMinutes = 50_000;

    /// <summary>The series of one device, or of every device (the Data page), with their last values, by device then series.</summary>
    public async Task<IReadOnlyList<DeviceDataSeriesInfo>> SeriesAsync(string? deviceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.DeviceDataSeries.AsNoTracking();
        if (deviceId is not null)
        {
            rows = rows.Where(s => s.DeviceId == deviceId);
        }

        var found = await rows.Join(db.Devices, s => s.DeviceId, d => d.Id, (s, d) => new { Row = s, d.Name }).ToListAsync(ct);
        return found
            .Select(f => new DeviceDataSeriesInfo(f.Row.DeviceId, f.Name, f.Row.Series, f.Row.Unit, f.Row.Flow, f.Row.LastValue, f.Row.LastAt, f.Row.FirstAt))
            .OrderBy(s => s.DeviceName, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Series, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Raw values for short ranges, 1-minute aggregates for long ones (or as asked); null for an unknown resolution.</summary>
    public async Task<DeviceDataSeries?> RangeAsync(string deviceId, string series, DateTimeOffset from, DateTimeOffset to, string? resolution, CancellationToken ct = default)
    {
        var chosen = resolution?.ToLowerInvariant() switch
        {
            null or "" or "auto" => to - from <= TimeSpan.FromHours(6) ? "auto" : "minute",
            "raw" or "minute" => resolution.ToLowerInvariant(),
            _ => null,
        };
        if (chosen is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (chosen == "auto")
        {
            // Raw while the range's values fit one answer; a busier series is drawn from its minutes.
            var count = await db.DeviceData.CountAsync(t => t.DeviceId == deviceId && t.Series == series && t.At >= from && t.At <= to, ct);
            chosen = count <= MaxValues ? "raw" : "minute";
        }

        var unit = await db.DeviceDataSeries.AsNoTracking().Where(s => s.DeviceId == deviceId && s.Series == series).Select(s => s.Unit).FirstOrDefaultAsync(ct);
        if (chosen == "raw")
        {
            var values = await db.DeviceData.AsNoTracking()
                .Where(t => t.DeviceId == deviceId && t.Series == series && t.At >= from && t.At <= to)
                .OrderByDescending(t => t.At).Take(MaxValues)
                .Select(t => new { t.At, t.Value, t.Sequence })
                .ToListAsync(ct);
            return new DeviceDataSeries(deviceId, series, unit, chosen, from, to,
                values.OrderBy(v => v.At).ThenBy(v => v.Sequence).Select(v => new DeviceDataValue(v.At, v.Value)).ToList(), [], values.Count == MaxValues);
        }

        var minutes = await db.DeviceDataMinutes.AsNoTracking()
            .Where(t => t.DeviceId == deviceId && t.Series == series && t.Minute >= from && t.Minute <= to)
            .OrderByDescending(t => t.Minute).Take(MaxMinutes)
            .ToListAsync(ct);
        return new DeviceDataSeries(deviceId, series, unit, chosen, from, to, [],
            minutes.OrderBy(m => m.Minute).Select(m => new DeviceDataAggregate(m.Minute, m.Count, m.Mean, m.Min, m.Max, m.Last)).ToList(), minutes.Count == MaxMinutes);
    }
}

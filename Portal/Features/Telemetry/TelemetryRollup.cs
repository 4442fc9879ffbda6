using Portal.Data;

namespace Portal.Features.Telemetry;

/// <summary>Turns raw samples into 1-minute aggregates. Pure: the maintenance service does the reading and writing.</summary>
public static class TelemetryRollup
{
    public static DateTimeOffset MinuteOf(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    public static List<TelemetryMinute> Aggregate(IEnumerable<TelemetryRecord> rows) =>
        rows.GroupBy(r => (r.DeviceId, Minute: MinuteOf(r.At)))
            .Select(g =>
            {
                var ordered = g.OrderBy(r => r.Sequence).ToList();
                var temperatures = ordered.Where(r => r.TemperatureCelsius is not null).Select(r => r.TemperatureCelsius!.Value).ToList();
                return new TelemetryMinute
                {
                    DeviceId = g.Key.DeviceId,
                    Minute = g.Key.Minute,
                    Samples = ordered.Count,
                    CpuPercentAvg = Math.Round(ordered.Average(r => r.CpuPercent), 2),
                    CpuPercentMax = ordered.Max(r => r.CpuPercent),
                    MemoryUsedBytesAvg = (long)ordered.Average(r => r.MemoryUsedBytes),
                    MemoryTotalBytes = ordered[^1].MemoryTotalBytes,
                    DiskUsedBytesAvg = (long)ordered.Average(r => r.DiskUsedBytes),
                    DiskTotalBytes = ordered[^1].DiskTotalBytes,
                    LoadAverage1mAvg = Math.Round(ordered.Average(r => r.LoadAverage1m), 2),
                    // Counters: the last reading of the minute.
                    NetworkReceivedBytes = ordered[^1].NetworkReceivedBytes,
                    NetworkSentBytes = ordered[^1].NetworkSentBytes,
                    TemperatureCelsiusMax = temperatures.Count == 0 ? null : temperatures.Max(),
                };
            })
            .ToList();
}

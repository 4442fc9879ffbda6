using System.Globalization;
using Portal.Shared.Telemetry;

namespace Portal.Agent.Telemetry;

/// <summary>
/// Reads the machine's counters from /proc (or <c>Agent:ProcDirectory</c>) and /sys (Linux). CPU % is measured between two calls, so the first
/// sample after start reports the average since boot. Missing files leave their reading at zero or unknown.
/// </summary>
public sealed class SystemSampler(string dataDirectory, TimeProvider clock, string procDirectory = "/proc")
{
    private (long Busy, long Total)? previousCpu;

    public TelemetrySample Sample()
    {
        var memory = ReadMemInfo();
        var disk = DriveInfo.GetDrives()
            .Where(d => d.IsReady && Path.GetFullPath(dataDirectory).StartsWith(d.RootDirectory.FullName, StringComparison.Ordinal))
            .OrderByDescending(d => d.RootDirectory.FullName.Length)
            .FirstOrDefault();
        var (received, sent) = ReadNetwork();
        return new TelemetrySample(
            0,
            clock.GetUtcNow(),
            Math.Round(ReadCpuPercent(), 2),
            memory.Total - memory.Available,
            memory.Total,
            disk is null ? 0 : disk.TotalSize - disk.TotalFreeSpace,
            disk?.TotalSize ?? 0,
            ReadLoadAverage(),
            received,
            sent,
            ReadTemperature(),
            GpuPercent: null,
            GpuMemoryUsedBytes: null);
    }

    private double ReadCpuPercent()
    {
        var line = ReadFirstLine(Path.Combine(procDirectory, "stat"));
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
        {
            return 0;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        var total = fields.Take(8).Sum();
        var current = (Busy: total - idle, Total: total);
        var before = previousCpu ?? (0, 0);
        previousCpu = current;
        var totalDelta = current.Total - before.Total;
        return totalDelta <= 0 ? 0 : Math.Clamp(100.0 * (current.Busy - before.Busy) / totalDelta, 0, 100);
    }

    private (long Total, long Available) ReadMemInfo()
    {
        var path = Path.Combine(procDirectory, "meminfo");
        if (!File.Exists(path))
        {
            var info = GC.GetGCMemoryInfo();
            return (info.TotalAvailableMemoryBytes, info.TotalAvailableMemoryBytes);
        }

        long Field(string name) => File.ReadLines(path)
            .Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024)
            .FirstOrDefault();

        var total = Field("MemTotal:");
        return (total, Math.Min(total, Field("MemAvailable:")));
    }

    private double ReadLoadAverage() =>
        ReadFirstLine(Path.Combine(procDirectory, "loadavg"))?.Split(' ') is [var first, ..] && double.TryParse(first, CultureInfo.InvariantCulture, out var load) ? load : 0;

    private (long Received, long Sent) ReadNetwork()
    {
        var path = Path.Combine(procDirectory, "net/dev");
        if (!File.Exists(path))
        {
            return (0, 0);
        }

        long received = 0, sent = 0;
        foreach (var line in File.ReadLines(path).Skip(2))
        {
            var parts = line.Split(':', 2);
            if (parts.Length != 2 || parts[0].Trim() == "lo")
            {
                continue;
            }

            var numbers = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            received += long.Parse(numbers[0], CultureInfo.InvariantCulture);
            sent += long.Parse(numbers[8], CultureInfo.InvariantCulture);
        }

        return (received, sent);
    }

    /// <summary>The hottest thermal zone in °C, or null where the machine exposes none.</summary>
    private static double? ReadTemperature()
    {
        const string root = "/sys/class/thermal";
        if (!Directory.Exists(root))
        {
            return null;
        }

        var readings = Directory.GetDirectories(root, "thermal_zone*")
            .Select(zone => ReadFirstLine(Path.Combine(zone, "temp")))
            .Select(text => long.TryParse(text, CultureInfo.InvariantCulture, out var milli) ? milli / 1000.0 : (double?)null)
            .Where(t => t is > -100 and < 250)
            .ToList();
        return readings.Count == 0 ? null : readings.Max();
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

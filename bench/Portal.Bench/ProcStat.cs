using System.Globalization;

namespace Portal.Bench;

/// <summary>What Linux says about one process: resident memory (/proc/PID/status) and CPU time (/proc/PID/stat).</summary>
internal readonly record struct ProcStat(long RssKiB, long PeakRssKiB, int Threads, long CpuTicks)
{
    /// <summary>USER_HZ: the unit of utime and stime. It is 100 on every Linux kernel built for x86-64 and arm64.</summary>
    public const double TicksPerSecond = 100;

    public static ProcStat Read(int pid)
    {
        long rss = 0, peak = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at 3 (state).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return new ProcStat(rss, peak, threads, ticks);
    }

    private static long Kib(string line) =>
        long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}

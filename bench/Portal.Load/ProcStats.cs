using System.Diagnostics;
using System.Globalization;

namespace Portal.Load;

/// <summary>A process's CPU time (utime + stime from /proc/PID/stat) and resident memory (VmRSS from /proc/PID/status), as the OS counts them.</summary>
internal readonly record struct ProcStats(double CpuSeconds, long RssBytes)
{
    private static readonly Lazy<double> TicksPerSecond = new(ReadClockTicks);

    public static ProcStats Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after it are counted from the closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var rssLine = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(rssLine["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return new ProcStats(ticks / TicksPerSecond.Value, kb * 1024);
    }

    private static double ReadClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
        var text = getconf.StandardOutput.ReadToEnd().Trim();
        getconf.WaitForExit();
        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}

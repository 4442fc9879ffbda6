using System.Globalization;

namespace Portal.Bench;

/// <summary>Where a process's resident memory is, by mapping (/proc/PID/smaps): heap, runtime, ONNX Runtime, assemblies.</summary>
internal static class Smaps
{
    public static IReadOnlyList<(string What, long RssKiB)> Breakdown(int pid)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var what = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-', StringComparison.Ordinal) && !line.EndsWith(" kB", StringComparison.Ordinal))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                what = Category(fields.Length > 5 ? fields[5].Trim() : "");
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line["Rss:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                totals[what] = totals.GetValueOrDefault(what) + kib;
            }
        }

        return totals.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value)).ToList();
    }

    /// <summary>The files with the most resident pages (assemblies and native libraries), largest first.</summary>
    public static IReadOnlyList<(string File, long RssKiB)> TopFiles(int pid, int count)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var file = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-', StringComparison.Ordinal) && !line.EndsWith(" kB", StringComparison.Ordinal))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                file = fields.Length > 5 && fields[5].StartsWith('/') ? Path.GetFileName(fields[5].Trim()) : "";
            }
            else if (file.Length > 0 && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                totals[file] = totals.GetValueOrDefault(file) + long.Parse(line["Rss:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return totals.OrderByDescending(t => t.Value).Take(count).Select(t => (t.Key, t.Value)).ToList();
    }

    private static string Category(string path) => path switch
    {
        "" or "[heap]" or "[stack]" => "anonymous (GC heap, JIT code, native allocations, stacks)",
        _ when path.Contains("onnxruntime", StringComparison.Ordinal) => "ONNX Runtime native library",
        _ when path.Contains("/shared/Microsoft.NETCore.App/", StringComparison.Ordinal) && path.EndsWith(".so", StringComparison.Ordinal) => ".NET runtime native (coreclr, clrjit, ...)",
        _ when path.EndsWith(".dll", StringComparison.Ordinal) => "managed assemblies (.dll, mapped)",
        _ when path.Contains("/usr/lib", StringComparison.Ordinal) || path.Contains(".so", StringComparison.Ordinal) => "other native libraries (libc, libssl, libstdc++, ...)",
        _ when path.StartsWith("/memfd:", StringComparison.Ordinal) || path.StartsWith("/dev/shm", StringComparison.Ordinal) => "double-mapped JIT code (memfd)",
        _ => "other files",
    };
}

using System.Diagnostics;
using System.Globalization;
using Portal.Shared.Devices;

namespace Portal.Agent.Inventory;

/// <summary>Lists NVIDIA GPUs through <c>nvidia-smi</c> when it is installed; an empty list otherwise.</summary>
public static class GpuProbe
{
    public static async Task<IReadOnlyList<GpuInfo>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync("name,memory.total,driver_version", TimeSpan.FromSeconds(5), cancellationToken) is { } csv ? Parse(csv) : [];

    /// <summary>Parses lines like <c>NVIDIA H100 80GB HBM3, 81559, 550.54.15</c> (memory in MiB).</summary>
    public static IReadOnlyList<GpuInfo> Parse(string csv) =>
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length >= 2)
            .Select(parts => new GpuInfo(
                parts[0],
                long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) ? mib * 1024 * 1024 : 0,
                parts.Length > 2 ? parts[2] : null))
            .ToList();

    /// <summary>
    /// Utilisation averaged over the GPUs and memory used summed over them, or nulls without <c>nvidia-smi</c>.
    /// Asked once per telemetry sample, with a short timeout so a hung driver never stalls sampling.
    /// </summary>
    public static async Task<(double? Percent, long? MemoryUsedBytes)> SampleAsync(CancellationToken cancellationToken) =>
        await QueryAsync("utilization.gpu,memory.used", TimeSpan.FromSeconds(2), cancellationToken) is { } csv ? ParseUtilisation(csv) : (null, null);

    /// <summary>Runs <c>nvidia-smi --query-gpu=FIELDS</c> and returns its CSV, or null without nvidia-smi, on failure or on timeout.</summary>
    private static async Task<string?> QueryAsync(string fields, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var smi = FindOnPath("nvidia-smi");
        if (smi is null)
        {
            return null;
        }

        var info = new ProcessStartInfo(smi, [$"--query-gpu={fields}", "--format=csv,noheader,nounits"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(info)!;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            var output = await process.StandardOutput.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode == 0 ? output : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Parses lines like <c>37, 10240</c> (percent, MiB used), one per GPU; unreadable values count as unknown.</summary>
    public static (double? Percent, long? MemoryUsedBytes) ParseUtilisation(string csv)
    {
        var readings = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length >= 2)
            .Select(parts => (
                Percent: double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : (double?)null,
                MiB: long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : (long?)null))
            .ToList();
        var percents = readings.Where(r => r.Percent is >= 0 and <= 100).Select(r => r.Percent!.Value).ToList();
        var memory = readings.Where(r => r.MiB >= 0).Select(r => r.MiB!.Value).ToList();
        return (
            percents.Count == 0 ? null : Math.Round(percents.Average(), 1),
            memory.Count == 0 ? null : memory.Sum() * 1024 * 1024);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

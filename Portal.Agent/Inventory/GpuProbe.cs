using System.Diagnostics;
using System.Globalization;
using Portal.Shared.Devices;

namespace Portal.Agent.Inventory;

/// <summary>Lists NVIDIA GPUs through <c>nvidia-smi</c> when it is installed; an empty list otherwise.</summary>
public static class GpuProbe
{
    public static async Task<IReadOnlyList<GpuInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var smi = FindOnPath("nvidia-smi");
        if (smi is null)
        {
            return [];
        }

        var info = new ProcessStartInfo(smi, ["--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(info)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? Parse(output) : [];
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return [];
        }
    }

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

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

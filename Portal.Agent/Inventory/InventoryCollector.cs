using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Shared.Devices;

namespace Portal.Agent.Inventory;

/// <summary>Reads what this machine is made of. Every probe may fail on its own; a failed probe leaves its field unknown.</summary>
public sealed class InventoryCollector(IOptions<AgentOptions> options, DockerProbe docker)
{
    public async Task<DeviceInventory> CollectAsync(CancellationToken cancellationToken)
    {
        var dataDirectory = Path.GetFullPath(options.Value.DataDirectory);
        var disk = DiskOf(dataDirectory);
        var engine = await docker.ProbeAsync(cancellationToken);
        return new DeviceInventory(
            Environment.MachineName,
            RuntimeInformation.OSDescription,
            Environment.OSVersion.VersionString,
            RuntimeInformation.OSArchitecture.ToString(),
            CpuModel(),
            Environment.ProcessorCount,
            MemoryBytes(),
            disk?.TotalSize ?? 0,
            disk?.AvailableFreeSpace ?? 0,
            AgentWorker.Version,
            engine.Version,
            OnnxRuntimeVersion: null,
            ExecutionProviders: [],
            await GpuProbe.ListAsync(cancellationToken),
            engine.Problem,
            Updates.AgentReleaseDriver.UpdateProblem(options.Value.Update));
    }

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        var line = File.Exists(cpuinfo) ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static long MemoryBytes()
    {
        const string meminfo = "/proc/meminfo";
        var line = File.Exists(meminfo) ? File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kilobytes, out var kb) ? kb * 1024 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    private static DriveInfo? DiskOf(string path)
    {
        // The mount point that holds the data directory: the longest mount path that is a prefix of it.
        return DriveInfo.GetDrives()
            .Where(d => d.IsReady && path.StartsWith(d.RootDirectory.FullName, StringComparison.Ordinal))
            .OrderByDescending(d => d.RootDirectory.FullName.Length)
            .FirstOrDefault();
    }
}

using Docker.DotNet.Models;

namespace Portal.Agent.Docker;

/// <summary>The figures <c>docker stats</c> shows, computed the way the Docker CLI does.</summary>
internal static class DockerStats
{
    /// <summary>Container CPU time over host CPU time between the two samples, scaled to "100 % per core".</summary>
    public static double CpuPercent(ContainerStatsResponse stats)
    {
        var now = stats.CPUStats;
        var before = stats.PreCPUStats;
        if (now?.CPUUsage is null || before?.CPUUsage is null || now.SystemUsage is null || before.SystemUsage is null)
        {
            return 0;
        }

        var container = (double)now.CPUUsage.TotalUsage - before.CPUUsage.TotalUsage;
        var system = (double)now.SystemUsage.Value - before.SystemUsage.Value;
        var cpus = now.OnlineCPUs is > 0 ? now.OnlineCPUs.Value : (uint)(now.CPUUsage.PercpuUsage?.Count ?? 1);
        return container > 0 && system > 0 ? container / system * Math.Max(cpus, 1u) * 100 : 0;
    }

    /// <summary>Usage less the page cache the kernel can drop at will (<c>inactive_file</c>), as <c>docker stats</c> shows it.</summary>
    public static long MemoryBytes(ContainerStatsResponse stats)
    {
        var memory = stats.MemoryStats;
        if (memory?.Usage is not { } usage)
        {
            return 0;
        }

        var details = memory.Stats ?? new Dictionary<string, ulong>();

        // cgroup v1 names it total_inactive_file, v2 inactive_file; very old engines only report cache.
        foreach (var key in (string[])["total_inactive_file", "inactive_file", "cache"])
        {
            if (details.TryGetValue(key, out var cache) && cache < usage)
            {
                return (long)(usage - cache);
            }
        }

        return (long)usage;
    }
}

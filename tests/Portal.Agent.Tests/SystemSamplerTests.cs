using Portal.Agent.Telemetry;

namespace Portal.Agent.Tests;

/// <summary>The sampler reads its counters from Agent:ProcDirectory: a host's /proc mounted elsewhere, or (here) a folder a test writes.</summary>
public sealed class SystemSamplerTests : IDisposable
{
    private readonly string proc = Path.Combine(Path.GetTempPath(), "portal-fake-proc", Guid.NewGuid().ToString("N"));

    public SystemSamplerTests() => Directory.CreateDirectory(Path.Combine(proc, "net"));

    [Fact]
    public void Counters_AreReadFromTheProcDirectory_CpuBetweenTwoSamples()
    {
        File.WriteAllText(Path.Combine(proc, "meminfo"), "MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    250 kB\n");
        File.WriteAllText(Path.Combine(proc, "loadavg"), "3.25 2.00 1.00 1/100 12345\n");
        File.WriteAllText(Path.Combine(proc, "net", "dev"), "Inter-|   Receive\n face |bytes\n    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0\n  eth0: 5000 10 0 0 0 0 0 0 7000 10 0 0 0 0 0 0\n");
        File.WriteAllText(Path.Combine(proc, "stat"), "cpu  100 0 100 800 0 0 0 0 0 0\n");
        var sampler = new SystemSampler(Path.GetTempPath(), TimeProvider.System, proc);
        sampler.Sample();
        // 900 more busy jiffies out of 1000: 90 %.
        File.WriteAllText(Path.Combine(proc, "stat"), "cpu  550 0 550 900 0 0 0 0 0 0\n");
        var sample = sampler.Sample();

        Assert.Equal(90, sample.CpuPercent);
        Assert.Equal((750 * 1024L, 1000 * 1024L), (sample.MemoryUsedBytes, sample.MemoryTotalBytes));
        Assert.Equal(3.25, sample.LoadAverage1m);
        Assert.Equal((5000L, 7000L), (sample.NetworkReceivedBytes, sample.NetworkSentBytes));
    }

    public void Dispose() => Directory.Delete(proc, recursive: true);
}

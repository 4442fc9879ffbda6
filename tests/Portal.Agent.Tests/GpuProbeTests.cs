using Portal.Agent.Inventory;

namespace Portal.Agent.Tests;

public sealed class GpuProbeTests
{
    [Fact]
    public void Parse_NvidiaSmiCsv_ReadsNameMemoryAndDriver()
    {
        const string csv = "NVIDIA H100 80GB HBM3, 81559, 550.54.15\nNVIDIA A10, 23028, 550.54.15\n";

        var gpus = GpuProbe.Parse(csv);

        Assert.Equal(2, gpus.Count);
        Assert.Equal("NVIDIA H100 80GB HBM3", gpus[0].Name);
        Assert.Equal(81559L * 1024 * 1024, gpus[0].MemoryBytes);
        Assert.Equal("550.54.15", gpus[0].DriverVersion);
        Assert.Equal("NVIDIA A10", gpus[1].Name);
    }

    [Fact]
    public void Parse_GarbageOrEmpty_YieldsNoGpus()
    {
        Assert.Empty(GpuProbe.Parse(""));
        Assert.Empty(GpuProbe.Parse("No devices were found"));
    }

    [Fact]
    public void ParseUtilisation_TwoGpus_AveragesPercentAndSumsMemory()
    {
        var (percent, memory) = GpuProbe.ParseUtilisation("30, 1024\n50, 2048\n");

        Assert.Equal(40.0, percent);
        Assert.Equal(3072L * 1024 * 1024, memory);
    }

    [Fact]
    public void ParseUtilisation_NotSupportedOrEmpty_IsUnknown()
    {
        Assert.Equal((null, null), GpuProbe.ParseUtilisation(""));
        Assert.Equal((null, null), GpuProbe.ParseUtilisation("[N/A], [N/A]"));
    }
}

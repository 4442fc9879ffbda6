using Portal.Features.Devices;

namespace Portal.Tests.Devices;

public sealed class TelemetryChartsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);

    private static TelemetryPoint Point(int seconds, long received, long sent = 0, double? temperature = null, double? gpu = null) =>
        new(Start.AddSeconds(seconds), 10, 20, 30, received, sent, temperature, gpu);

    [Fact]
    public void Rates_CumulativeCounters_AreKilobytesPerSecondBetweenPoints()
    {
        var points = new[] { Point(0, 1_000_000), Point(5, 1_050_000), Point(10, 1_150_000) };

        Assert.Equal([10.0, 10.0, 20.0], TelemetryCharts.Rates(points, p => p.NetworkReceivedBytes));
    }

    [Fact]
    public void Rates_CounterWentBack_IsZeroNotNegative()
    {
        var points = new[] { Point(0, 5_000_000), Point(5, 5_050_000), Point(10, 1_000) };

        Assert.Equal([10.0, 10.0, 0.0], TelemetryCharts.Rates(points, p => p.NetworkReceivedBytes));
    }

    [Fact]
    public void Extra_OnlyCountersReported_ShowsNetworkOnly()
    {
        var charts = TelemetryCharts.Extra([Point(0, 1000, 500), Point(5, 2000, 900)]);

        var network = Assert.Single(charts);
        Assert.Equal("chart-network", network.Id);
        Assert.Equal("Network (kB/s)", network.Title);
        Assert.Equal(["Received kB/s", "Sent kB/s"], network.Series.Select(s => s.Name));
    }

    [Fact]
    public void Extra_TemperatureAndGpuReported_ChartsEachWithItsUnit()
    {
        var charts = TelemetryCharts.Extra([Point(0, 0, temperature: 51, gpu: 12), Point(5, 0, temperature: null, gpu: 40)]);

        Assert.Equal(["Temperature (°C)", "GPU (%)"], charts.Select(c => c.Title));
    }

    [Fact]
    public void Extra_NothingBeyondCpuMemoryDisk_NoExtraCharts() =>
        Assert.Empty(TelemetryCharts.Extra([Point(0, 0), Point(5, 0)]));
}

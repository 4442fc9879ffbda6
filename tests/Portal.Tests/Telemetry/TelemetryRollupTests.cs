using Portal.Data;
using Portal.Features.Telemetry;

namespace Portal.Tests.Telemetry;

public sealed class TelemetryRollupTests
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 26, 12, 30, 0, TimeSpan.Zero);

    private static TelemetryRecord Row(long sequence, int second, double cpu, double? temperature = null) => new()
    {
        DeviceId = "d1", Sequence = sequence, At = Minute.AddSeconds(second), CpuPercent = cpu,
        MemoryUsedBytes = 100 * sequence, MemoryTotalBytes = 1000, DiskUsedBytes = 10, DiskTotalBytes = 20,
        LoadAverage1m = 1, NetworkReceivedBytes = 1000 + sequence, NetworkSentBytes = 2000 + sequence, TemperatureCelsius = temperature,
    };

    [Fact]
    public void Aggregate_SamplesOfTwoMinutes_OneRowPerMinuteWithAveragesMaximaAndLastCounters()
    {
        var minutes = TelemetryRollup.Aggregate([Row(1, 0, 10, 40), Row(2, 30, 30, 55), Row(3, 65, 50)]);

        Assert.Equal(2, minutes.Count);
        var first = minutes.Single(m => m.Minute == Minute);
        Assert.Equal(2, first.Samples);
        Assert.Equal(20, first.CpuPercentAvg);
        Assert.Equal(30, first.CpuPercentMax);
        Assert.Equal(150, first.MemoryUsedBytesAvg);
        Assert.Equal(1002, first.NetworkReceivedBytes);
        Assert.Equal(55, first.TemperatureCelsiusMax);
        Assert.Null(minutes.Single(m => m.Minute == Minute.AddMinutes(1)).TemperatureCelsiusMax);
    }

    [Fact]
    public void MinuteOf_AnyOffset_IsTheUtcMinuteStart() =>
        Assert.Equal(Minute, TelemetryRollup.MinuteOf(new DateTimeOffset(2026, 11, 26, 14, 30, 59, TimeSpan.FromHours(2)).AddMilliseconds(999)));
}

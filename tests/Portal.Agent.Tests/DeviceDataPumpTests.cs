using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.DeviceData;
using Portal.Shared.DeviceData;

namespace Portal.Agent.Tests;

public sealed class DeviceDataPumpTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "device-data-tests", Guid.NewGuid().ToString("N"));
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private DeviceDataPump Pump(int capacity = 1000) =>
        new(Options.Create(new AgentOptions { DataDirectory = directory, DeviceDataOutboxMaxPoints = capacity }), NullLogger<DeviceDataPump>.Instance);

    [Fact]
    public async Task AddAsync_KeepsEveryPointOnDisk_NumberedInOrder_AcrossARestart()
    {
        var at = DateTimeOffset.UtcNow;
        var first = Pump();
        await first.AddAsync("solar", "forecast", 512.5, "W/m²", at, ct);
        await first.AddAsync("solar", "irradiance", 480, "W/m²", at.AddSeconds(1), ct);

        var (points, dropped) = Pump().Outbox.Next(DeviceDataBatch.MaxPoints)!.Value;

        Assert.Equal(0, dropped);
        Assert.Equal([(1L, "forecast", 512.5, "solar"), (2L, "irradiance", 480.0, "solar")], points.Select(p => (p.Sequence, p.Series, p.Value, p.Flow!)));
        Assert.Equal("W/m²", points[0].Unit);
    }

    [Fact]
    public async Task AddAsync_NotAFiniteNumber_FailsThatValueAlone()
    {
        var pump = Pump();

        await Assert.ThrowsAsync<ArgumentException>(async () => await pump.AddAsync("f", "x", double.NaN, null, DateTimeOffset.UtcNow, ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await pump.AddAsync("f", "x", double.PositiveInfinity, null, DateTimeOffset.UtcNow, ct));
        await pump.AddAsync("f", "x", 1, null, DateTimeOffset.UtcNow, ct);

        Assert.Equal(1, pump.Outbox.Count);
    }

    [Fact]
    public async Task AddAsync_OutboxFull_DropsTheOldestInChunks_AndCountsThem()
    {
        var pump = Pump(capacity: 100);
        for (var i = 0; i < 150; i++)
        {
            await pump.AddAsync("f", "x", i, null, DateTimeOffset.UtcNow, ct);
        }

        var (points, dropped) = pump.Outbox.Next(DeviceDataBatch.MaxPoints)!.Value;

        Assert.True(points.Count <= 100);
        Assert.Equal(150, points.Count + dropped);
        Assert.Equal(149, points[^1].Value);
        Assert.Equal(Enumerable.Range(0, points.Count).Select(i => points[0].Sequence + i), points.Select(p => p.Sequence));
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

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

    [Fact]
    public async Task Acknowledge_KeepsALargeLogUntilCompaction_AndAReopenedOutboxSendsOnlyWhatIsLeft()
    {
        var pump = Pump(capacity: 100_000);
        for (var i = 0; i < 3000; i++)
        {
            await pump.AddAsync("f", "x", i, null, DateTimeOffset.UtcNow, ct);
        }

        var log = Path.Combine(directory, "device-data", "samples.jsonl");
        var (first, _) = pump.Outbox.Next(1000)!.Value;
        pump.Outbox.Acknowledge(first[^1].Sequence);
        var linesAfterOneBatch = File.ReadLines(log).Count();
        var reopened = Pump(capacity: 100_000).Outbox.Next(1000)!.Value.Items[0].Sequence;
        var (second, _) = pump.Outbox.Next(1000)!.Value;
        pump.Outbox.Acknowledge(second[^1].Sequence);

        // The first acknowledgement wrote only the state; the log is compacted once most of it is acknowledged.
        Assert.Equal(3000, linesAfterOneBatch);
        Assert.Equal(1001, reopened);
        Assert.Equal(1000, File.ReadLines(log).Count());
        var (left, _) = Pump(capacity: 100_000).Outbox.Next(1000)!.Value;
        Assert.Equal(Enumerable.Range(2001, 1000).Select(i => (long)i), left.Select(p => p.Sequence));
    }

    [Fact]
    public async Task Acknowledge_BeforeCompaction_SurvivesARestart_WithoutResendingAnything()
    {
        var pump = Pump();
        for (var i = 0; i < 10; i++)
        {
            await pump.AddAsync("f", "x", i, null, DateTimeOffset.UtcNow, ct);
        }

        var (batch, _) = pump.Outbox.Next(6)!.Value;
        pump.Outbox.Acknowledge(batch[^1].Sequence);

        Assert.Equal([7L, 8, 9, 10], Pump().Outbox.Next(1000)!.Value.Items.Select(p => p.Sequence));
    }

    [Fact]
    public async Task Acknowledge_ValuesAddedWhileABatchWasOnItsWay_AreNeitherLostNorTheirDropsForgotten()
    {
        var pump = Pump(capacity: 100);
        for (var i = 0; i < 120; i++)
        {
            await pump.AddAsync("f", "x", i, null, DateTimeOffset.UtcNow, ct);
        }

        var (sent, droppedSent) = pump.Outbox.Next(50)!.Value;
        // Meanwhile: more values, more drops.
        for (var i = 0; i < 20; i++)
        {
            await pump.AddAsync("f", "x", 1000 + i, null, DateTimeOffset.UtcNow, ct);
        }

        pump.Outbox.Acknowledge(sent[^1].Sequence);
        var (after, dropped) = pump.Outbox.Next(1000)!.Value;

        // The drops counted after the batch was handed out are still to be reported; those it carried are not.
        Assert.True(dropped > 0, "the drops made while the batch was on its way were forgotten");
        Assert.True(droppedSent > 0);
        Assert.Equal(1019, after[^1].Value);
        Assert.All(after, p => Assert.True(p.Sequence > sent[^1].Sequence));
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using Portal.Agent.Telemetry;
using Portal.Shared.Telemetry;

namespace Portal.Agent.Tests;

public sealed class TelemetryOutboxTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "portal-outbox-tests", Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(directory, "outbox", "state.json");

    private string SamplesPath => Path.Combine(directory, "outbox", "samples.jsonl");

    private static TelemetrySample Sample(double cpu) => new(0, DateTimeOffset.UnixEpoch, cpu, 1, 2, 1, 2, 0.5, 10, 20, null, null, null);

    [Fact]
    public void Append_NumbersSamplesInOrder_AndAcknowledgeForgetsThem()
    {
        var outbox = new TelemetryOutbox(directory, capacity: 100);

        outbox.Append(Sample(1));
        outbox.Append(Sample(2));
        outbox.Append(Sample(3));
        outbox.Acknowledge(2);

        var batch = outbox.NextBatch()!;
        Assert.Equal([3L], batch.Samples.Select(s => s.Sequence));
        Assert.Equal(3, batch.Samples[0].CpuPercent);
    }

    [Fact]
    public void Reopen_AfterRestart_KeepsUnacknowledgedSamplesAndContinuesTheSequence()
    {
        var first = new TelemetryOutbox(directory, capacity: 100);
        first.Append(Sample(1));
        first.Append(Sample(2));
        first.Acknowledge(1);

        var second = new TelemetryOutbox(directory, capacity: 100);
        second.Append(Sample(3));

        Assert.Equal([2L, 3L], second.NextBatch()!.Samples.Select(s => s.Sequence));
    }

    [Fact]
    public void Reopen_AfterEverythingWasAcknowledged_NeverReusesASequence()
    {
        var first = new TelemetryOutbox(directory, capacity: 100);
        first.Append(Sample(1));
        first.Append(Sample(2));
        first.Acknowledge(2);

        var second = new TelemetryOutbox(directory, capacity: 100);

        Assert.Equal(3, second.Append(Sample(3)).Sequence);
    }

    [Fact]
    public void Append_WhenFull_DropsTheOldestAndReportsHowMany()
    {
        var outbox = new TelemetryOutbox(directory, capacity: 3);

        for (var i = 0; i < 5; i++)
        {
            outbox.Append(Sample(i));
        }

        var batch = outbox.NextBatch()!;
        Assert.Equal([3L, 4L, 5L], batch.Samples.Select(s => s.Sequence));
        Assert.Equal(2, batch.DroppedSinceLastBatch);
        outbox.Acknowledge(5);
        Assert.Null(outbox.NextBatch());
    }

    [Fact]
    public void Reopen_WithALineCutShortByPowerLoss_KeepsTheIntactSamples()
    {
        var outbox = new TelemetryOutbox(directory, capacity: 100);
        outbox.Append(Sample(1));
        outbox.Append(Sample(2));
        File.AppendAllText(Path.Combine(directory, "outbox", "samples.jsonl"), "{\"sequence\":3,\"at\":");

        var reopened = new TelemetryOutbox(directory, capacity: 100);

        Assert.Equal([1L, 2L], reopened.NextBatch()!.Samples.Select(s => s.Sequence));
        Assert.Equal(3, reopened.Append(Sample(3)).Sequence);
    }

    [Fact]
    public void Reopen_StateFileDamaged_RebuildsItFromTheSampleLogAndKeepsSending()
    {
        var first = new TelemetryOutbox(directory, capacity: 100);
        first.Append(Sample(1));
        first.Append(Sample(2));
        first.Acknowledge(1);
        File.WriteAllText(StatePath, "{\"nextSeq");
        File.WriteAllText(StatePath + ".bak", "");

        var reopened = new TelemetryOutbox(directory, capacity: 100);
        reopened.Append(Sample(3));

        Assert.Equal([2L, 3L], reopened.NextBatch()!.Samples.Select(s => s.Sequence));
        // Repaired on disk: the next start reads it without rebuilding.
        Assert.Contains("\"nextSequence\":3", File.ReadAllText(StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public void Reopen_StateFileDamaged_ItsLastGoodCopyKeepsTheNumbering()
    {
        var first = new TelemetryOutbox(directory, capacity: 100);
        first.Append(Sample(1));
        first.Append(Sample(2));
        first.Acknowledge(2);
        File.WriteAllText(StatePath, "");

        Assert.Equal(3, new TelemetryOutbox(directory, capacity: 100).Append(Sample(3)).Sequence);
    }

    [Fact]
    public void Acknowledge_PortalAheadAfterTheStateWasLost_NumbersTheWaitingSamplesAfterThePortals()
    {
        var first = new TelemetryOutbox(directory, capacity: 100);
        first.Append(Sample(1));
        first.Append(Sample(2));
        first.Acknowledge(2);
        File.WriteAllText(StatePath, "");
        File.WriteAllText(StatePath + ".bak", "");
        var reopened = new TelemetryOutbox(directory, capacity: 100);
        reopened.Append(Sample(3));

        // The portal holds 1 and 2 already, takes the new sample 1 for a resend and answers with its highest.
        reopened.Acknowledge(2);

        Assert.Equal([3L], reopened.NextBatch()!.Samples.Select(s => s.Sequence));
        Assert.Equal(3, reopened.NextBatch()!.Samples[0].CpuPercent);
        Assert.Equal(4, reopened.Append(Sample(4)).Sequence);
    }

    [Fact]
    public void Reopen_DamagedSampleLines_AreCountedAsDroppedForThePortal()
    {
        var outbox = new TelemetryOutbox(directory, capacity: 100);
        outbox.Append(Sample(1));
        File.AppendAllText(SamplesPath, "{\"sequence\":2,\"at\":\"20\n");
        File.AppendAllText(SamplesPath, "\0\0\0\0\n");
        outbox.Append(Sample(4));

        var batch = new TelemetryOutbox(directory, capacity: 100).NextBatch()!;

        Assert.Equal(2, batch.DroppedSinceLastBatch);
        Assert.Equal([1L, 2L], batch.Samples.Select(s => s.Sequence));
    }

    [Fact]
    public void NextBatch_ManySamples_IsCappedAtTheBatchLimit()
    {
        var outbox = new TelemetryOutbox(directory, capacity: 2000);
        for (var i = 0; i < TelemetryBatch.MaxSamples + 10; i++)
        {
            outbox.Append(Sample(1));
        }

        Assert.Equal(TelemetryBatch.MaxSamples, outbox.NextBatch()!.Samples.Count);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

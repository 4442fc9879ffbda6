using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Storage;
using Portal.Shared.Telemetry;

namespace Portal.Agent.Telemetry;

/// <summary>
/// Samples not yet acknowledged by the portal, kept on disk so neither an outage nor an agent restart loses them.
/// Bounded: when full, the oldest sample is dropped and counted, and the count is reported with the next batch.
/// Sequence numbers survive restarts, so the portal can tell a resend from a new sample. A damaged <c>state.json</c> is
/// rebuilt from the sample log, and samples lost to damage are counted as dropped, so the portal hears of them.
/// </summary>
public sealed partial class TelemetryOutbox
{
    private readonly object gate = new();
    private readonly string samplesPath;
    private readonly string statePath;
    private readonly int capacity;
    private readonly ILogger logger;
    private readonly List<TelemetrySample> pending = [];
    private long nextSequence = 1;
    private long dropped;

    public TelemetryOutbox(string dataDirectory, int capacity, ILogger? logger = null)
    {
        var directory = Path.Combine(Path.GetFullPath(dataDirectory), "outbox");
        DurableFile.CreateDirectory(directory);
        samplesPath = Path.Combine(directory, "samples.jsonl");
        statePath = Path.Combine(directory, "state.json");
        this.capacity = capacity;
        this.logger = logger ?? NullLogger.Instance;
        Load();
    }

    private sealed record State(long NextSequence, long Dropped);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>Stamps the sample with the next sequence number and keeps it until acknowledged.</summary>
    public TelemetrySample Append(TelemetrySample unnumbered)
    {
        lock (gate)
        {
            var sample = unnumbered with { Sequence = nextSequence++ };
            pending.Add(sample);
            if (pending.Count > capacity)
            {
                pending.RemoveAt(0);
                dropped++;
                Rewrite();
            }
            else
            {
                // The log itself carries the sequence (state.json only matters once the log is emptied): no state write here.
                File.AppendAllText(samplesPath, JsonSerializer.Serialize(sample, JsonSerializerOptions.Web) + "\n");
            }

            return sample;
        }
    }

    /// <summary>The oldest unacknowledged samples, in order, with the count dropped since the last acknowledgement.</summary>
    public TelemetryBatch? NextBatch(int max = TelemetryBatch.MaxSamples)
    {
        lock (gate)
        {
            return pending.Count == 0 && dropped == 0 ? null : new TelemetryBatch(pending.Take(max).ToList(), dropped);
        }
    }

    /// <summary>
    /// Forgets every sample up to <paramref name="sequence"/>: the portal has stored them. A sequence this outbox has not
    /// given out yet means its numbering started again (its state was lost) and the portal took the new samples for
    /// resends: they are numbered again after the portal's and sent once more.
    /// </summary>
    public void Acknowledge(long sequence)
    {
        lock (gate)
        {
            if (sequence >= nextSequence)
            {
                Renumber(sequence + 1);
                return;
            }

            var removed = pending.RemoveAll(s => s.Sequence <= sequence);
            if (removed > 0 || dropped > 0)
            {
                dropped = 0;
                Rewrite();
            }
        }
    }

    private void Load()
    {
        var damagedLines = 0;
        if (File.Exists(samplesPath))
        {
            foreach (var line in File.ReadLines(samplesPath).Where(l => l.Length > 0))
            {
                try
                {
                    pending.Add(JsonSerializer.Deserialize<TelemetrySample>(line, JsonSerializerOptions.Web) ?? throw new JsonException("null"));
                }
                catch (JsonException)
                {
                    // A line cut short by a crash or power loss: everything else is intact; this sample is lost.
                    damagedLines++;
                }
            }
        }

        var state = DurableFile.ReadJson<State>(statePath, JsonSerializerOptions.Web, s => s.NextSequence >= 1 && s.Dropped >= 0);
        if (state.Value is { } saved)
        {
            nextSequence = saved.NextSequence;
            dropped = saved.Dropped;
        }

        if (pending.Count > 0)
        {
            nextSequence = Math.Max(nextSequence, pending.Max(s => s.Sequence) + 1);
        }

        if (state.Outcome == DurableReadOutcome.Damaged)
        {
            LogStateRebuilt(logger, statePath, state.Problem!, pending.Count, nextSequence);
        }
        else if (state.Outcome == DurableReadOutcome.ReadFromBackup)
        {
            LogStateFromBackup(logger, statePath, state.Problem!);
        }

        if (damagedLines > 0)
        {
            dropped += damagedLines;
            LogLinesLost(logger, damagedLines, samplesPath);
        }

        if (damagedLines > 0 || state.Outcome is DurableReadOutcome.Damaged or DurableReadOutcome.ReadFromBackup)
        {
            Rewrite();
        }
    }

    private void Renumber(long first)
    {
        LogRenumbered(logger, first - 1, nextSequence - 1, pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            pending[i] = pending[i] with { Sequence = first + i };
        }

        nextSequence = first + pending.Count;
        // The batch that told us carried the dropped count, and the portal took it.
        dropped = 0;
        Rewrite();
    }

    private void Rewrite()
    {
        DurableFile.WriteLines(samplesPath, pending.Select(s => JsonSerializer.Serialize(s, JsonSerializerOptions.Web)));
        DurableFile.WriteJson(statePath, new State(nextSequence, dropped), JsonSerializerOptions.Web);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was damaged ({Problem}); rebuilt it from the sample log ({Count} samples kept, next sequence {Next}). " +
        "The count of samples dropped before the damage, not yet reported to the portal, is lost.")]
    private static partial void LogStateRebuilt(ILogger logger, string path, string problem, int count, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was damaged ({Problem}); restored it from its last good copy")]
    private static partial void LogStateFromBackup(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} damaged telemetry samples in {Path} could not be read; they are lost and reported to the portal as dropped")]
    private static partial void LogLinesLost(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The portal already holds telemetry up to sequence {Portal}, beyond this outbox's {Local}: its numbering started again " +
        "(its state was lost). {Count} waiting samples are numbered again after the portal's and sent once more.")]
    private static partial void LogRenumbered(ILogger logger, long portal, long local, int count);
}

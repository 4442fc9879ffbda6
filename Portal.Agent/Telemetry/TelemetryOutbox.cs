using System.Text.Json;
using Portal.Shared.Telemetry;

namespace Portal.Agent.Telemetry;

/// <summary>
/// Samples not yet acknowledged by the portal, kept on disk so neither an outage nor an agent restart loses them.
/// Bounded: when full, the oldest sample is dropped and counted, and the count is reported with the next batch.
/// Sequence numbers survive restarts, so the portal can tell a resend from a new sample.
/// </summary>
public sealed class TelemetryOutbox
{
    private readonly object gate = new();
    private readonly string samplesPath;
    private readonly string statePath;
    private readonly int capacity;
    private readonly List<TelemetrySample> pending = [];
    private long nextSequence = 1;
    private long dropped;

    public TelemetryOutbox(string dataDirectory, int capacity)
    {
        var directory = Path.Combine(Path.GetFullPath(dataDirectory), "outbox");
        Directory.CreateDirectory(directory);
        samplesPath = Path.Combine(directory, "samples.jsonl");
        statePath = Path.Combine(directory, "state.json");
        this.capacity = capacity;
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
                File.AppendAllText(samplesPath, JsonSerializer.Serialize(sample, JsonSerializerOptions.Web) + "\n");
                SaveState();
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

    /// <summary>Forgets every sample up to <paramref name="sequence"/>: the portal has stored them.</summary>
    public void Acknowledge(long sequence)
    {
        lock (gate)
        {
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
        if (File.Exists(statePath) && JsonSerializer.Deserialize<State>(File.ReadAllText(statePath), JsonSerializerOptions.Web) is { } state)
        {
            nextSequence = Math.Max(1, state.NextSequence);
            dropped = state.Dropped;
        }

        if (File.Exists(samplesPath))
        {
            foreach (var line in File.ReadLines(samplesPath))
            {
                try
                {
                    if (JsonSerializer.Deserialize<TelemetrySample>(line, JsonSerializerOptions.Web) is { } sample)
                    {
                        pending.Add(sample);
                    }
                }
                catch (JsonException)
                {
                    // A line cut short by a crash or power loss: everything before it is intact.
                }
            }
        }

        if (pending.Count > 0)
        {
            nextSequence = Math.Max(nextSequence, pending.Max(s => s.Sequence) + 1);
        }
    }

    private void Rewrite()
    {
        var temporary = samplesPath + ".tmp";
        File.WriteAllLines(temporary, pending.Select(s => JsonSerializer.Serialize(s, JsonSerializerOptions.Web)));
        File.Move(temporary, samplesPath, overwrite: true);
        SaveState();
    }

    private void SaveState()
    {
        var temporary = statePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new State(nextSequence, dropped), JsonSerializerOptions.Web));
        File.Move(temporary, statePath, overwrite: true);
    }
}

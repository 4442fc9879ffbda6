using Portal.Agent.Storage;
using Portal.Shared.Telemetry;

namespace Portal.Agent.Telemetry;

/// <summary>Telemetry samples not yet acknowledged by the portal, in <c>{data}/outbox</c> (see <see cref="SequencedOutbox{T}"/>).</summary>
public sealed class TelemetryOutbox(string dataDirectory, int capacity, ILogger? logger = null)
{
    private readonly SequencedOutbox<TelemetrySample> store = new(
        Path.Combine(dataDirectory, "outbox"), capacity, s => s.Sequence, (s, sequence) => s with { Sequence = sequence }, "telemetry samples", logger);

    public int Count => store.Count;

    /// <summary>Stamps the sample with the next sequence number and keeps it until acknowledged.</summary>
    public TelemetrySample Append(TelemetrySample unnumbered) => store.Append(unnumbered);

    /// <summary>The oldest unacknowledged samples, in order, with the count dropped since the last acknowledgement.</summary>
    public TelemetryBatch? NextBatch(int max = TelemetryBatch.MaxSamples) =>
        store.Next(max) is var (samples, dropped) ? new TelemetryBatch(samples, dropped) : null;

    /// <summary>Forgets every sample up to <paramref name="sequence"/>: the portal has stored them.</summary>
    public void Acknowledge(long sequence) => store.Acknowledge(sequence);
}

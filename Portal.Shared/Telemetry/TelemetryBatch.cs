namespace Portal.Shared.Telemetry;

/// <summary>
/// Samples in sequence order, oldest first. <see cref="DroppedSinceLastBatch"/> counts samples the agent's outbox
/// had to discard because it was full while the portal was out of reach.
/// </summary>
public sealed record TelemetryBatch(IReadOnlyList<TelemetrySample> Samples, long DroppedSinceLastBatch)
{
    /// <summary>The most samples one batch may carry; a larger batch is rejected whole.</summary>
    public const int MaxSamples = 500;
}

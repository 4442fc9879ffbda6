namespace Portal.Shared.Telemetry;

/// <summary>
/// The answer of <c>GET /api/v1/devices/{id}/telemetry</c>: raw samples (<see cref="Resolution"/> "raw") or
/// 1-minute aggregates ("minute"). With resolution=auto, ranges up to 6 hours are raw, longer ones aggregated.
/// </summary>
public sealed record TelemetrySeries(
    string Resolution,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<TelemetrySample> Samples,
    IReadOnlyList<TelemetryAggregate> Minutes);

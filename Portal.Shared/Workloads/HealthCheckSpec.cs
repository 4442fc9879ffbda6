namespace Portal.Shared.Workloads;

/// <summary>
/// A Compose healthcheck as the engine runs it: <see cref="Test"/> in Docker's form (<c>CMD</c>/<c>CMD-SHELL</c>
/// first), durations as TimeSpans (zero = the engine's default).
/// </summary>
public sealed record HealthCheckSpec(
    IReadOnlyList<string> Test,
    TimeSpan Interval = default,
    TimeSpan Timeout = default,
    int Retries = 0,
    TimeSpan StartPeriod = default);

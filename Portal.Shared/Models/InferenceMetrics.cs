namespace Portal.Shared.Models;

/// <summary>
/// One served model's counters since the agent loaded it, and latency percentiles over its recent requests
/// (null before the first request). Sent with each telemetry interval while models are loaded.
/// </summary>
public sealed record InferenceMetrics(
    string Model,
    int Version,
    string ExecutionProvider,
    long Requests,
    long Errors,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms)
{
    /// <summary>What the model was sent and answered, per feature, since it was loaded (null: not measured, or unchanged since the last report; older agents send none).</summary>
    public IReadOnlyList<Monitoring.FeatureStats>? Features { get; init; }
}

/// <summary>What a device serves right now.</summary>
public sealed record InferenceMetricsReport(IReadOnlyList<InferenceMetrics> Models, DateTimeOffset At)
{
    public const int MaxModels = 100;
}

/// <summary>The latest metrics one device reported for one model, as pages and the API show them.</summary>
public sealed record DeviceInferenceMetrics(
    string DeviceId,
    string DeviceName,
    string Model,
    int Version,
    string ExecutionProvider,
    long Requests,
    long Errors,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    DateTimeOffset At);

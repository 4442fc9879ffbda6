namespace Portal.Shared.Alerts;

/// <summary>
/// An alert rule. <see cref="Threshold"/> breaches (Above: value &gt; it; Below: value &lt; it); the alert resolves once
/// the value is back past <see cref="ClearThreshold"/> (the hysteresis band between them keeps a flapping value firing)
/// for <see cref="ResolveAfterSeconds"/>. It fires after the breach held <see cref="ForSeconds"/>. Empty
/// <see cref="GroupIds"/> and <see cref="DeviceIds"/>: the whole fleet. <see cref="ChannelIds"/>: where it is sent.
/// </summary>
public sealed record AlertRuleDto(
    string Id,
    string Name,
    AlertRuleKind Kind,
    TelemetryMetric? Metric,
    string? Series,
    Comparison Comparison,
    double Threshold,
    double ClearThreshold,
    int ForSeconds,
    int ResolveAfterSeconds,
    AlertSeverity Severity,
    IReadOnlyList<string> GroupIds,
    IReadOnlyList<string> DeviceIds,
    IReadOnlyList<string> ChannelIds,
    bool Enabled,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Model = null,
    ModelMetric? ModelMetric = null);

/// <summary>
/// Creates or changes a rule (see <see cref="AlertRuleDto"/>). <see cref="ClearThreshold"/> left out: the threshold itself
/// (no band). Telemetry needs <see cref="Metric"/>, DeviceData <see cref="Series"/>, ModelDrift <see cref="Model"/> (a PSI threshold such as 0.25); DeviceOffline, Workload and
/// Deployment rules need neither and ignore the thresholds.
/// </summary>
public sealed record SaveAlertRuleRequest(
    string Name,
    AlertRuleKind Kind,
    TelemetryMetric? Metric = null,
    string? Series = null,
    Comparison Comparison = Comparison.Above,
    double Threshold = 0,
    double? ClearThreshold = null,
    int ForSeconds = 60,
    int ResolveAfterSeconds = 0,
    AlertSeverity Severity = AlertSeverity.Warning,
    IReadOnlyList<string>? GroupIds = null,
    IReadOnlyList<string>? DeviceIds = null,
    IReadOnlyList<string>? ChannelIds = null,
    bool Enabled = true,
    string? Model = null,
    ModelMetric? ModelMetric = null)
{
    /// <summary>A model's metric on any device serving it, e.g. p95 above 50 ms for 2 minutes.</summary>
    public static SaveAlertRuleRequest ForModelMetric(string name, string model, ModelMetric metric, double above, int forSeconds, params string[] channelIds) =>
        new(name, AlertRuleKind.ModelMetric, Threshold: above, ForSeconds: forSeconds, ChannelIds: channelIds, Model: model, ModelMetric: metric);

    /// <summary>Drift of a model (by name) on any device serving a version with a baseline: worst PSI above <paramref name="above"/>.</summary>
    public static SaveAlertRuleRequest ForDrift(string name, string model, double above, double? clearBelow, params string[] channelIds) =>
        new(name, AlertRuleKind.ModelDrift, Threshold: above, ClearThreshold: clearBelow, ForSeconds: 0, ChannelIds: channelIds, Model: model);

    /// <summary>A telemetry rule, e.g. CPU above 90 % for 5 minutes, clearing below 70 %.</summary>
    public static SaveAlertRuleRequest ForTelemetry(string name, TelemetryMetric metric, double above, double? clearBelow, int forSeconds, params string[] channelIds) =>
        new(name, AlertRuleKind.Telemetry, Metric: metric, Threshold: above, ClearThreshold: clearBelow, ForSeconds: forSeconds, ChannelIds: channelIds);

    /// <summary>A device offline for longer than <paramref name="forSeconds"/>.</summary>
    public static SaveAlertRuleRequest ForOffline(string name, int forSeconds, params string[] channelIds) =>
        new(name, AlertRuleKind.DeviceOffline, ForSeconds: forSeconds, ChannelIds: channelIds);
}

using Portal.Common;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>What makes an alert rule valid (null) or not (a sentence the operator can act on). References are checked by the service.</summary>
public static class AlertRuleChecks
{
    public const int MaxSeconds = 7 * 24 * 3600;

    public static string? Problem(SaveAlertRuleRequest? request)
    {
        if (request is null)
        {
            return "Send a rule: name, kind and, for Telemetry and DeviceData, the metric or series and the threshold.";
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            return "Give the rule a name of 1 to 100 characters.";
        }

        if (PlainText.Problem(name, "rule name") is { } text)
        {
            return text;
        }

        if (!Enum.IsDefined(request.Kind) || !Enum.IsDefined(request.Comparison) || !Enum.IsDefined(request.Severity))
        {
            return "Kind, comparison (Above or Below) and severity (Info, Warning or Critical) must be ones this portal knows.";
        }

        if (request.ForSeconds is < 0 or > MaxSeconds || request.ResolveAfterSeconds is < 0 or > MaxSeconds)
        {
            return "forSeconds and resolveAfterSeconds must be between 0 and 604800 (a week).";
        }

        if (request.Kind == AlertRuleKind.Telemetry && (request.Metric is not { } metric || !Enum.IsDefined(metric)))
        {
            return $"A telemetry rule needs a metric: {string.Join(", ", Enum.GetNames<TelemetryMetric>())}.";
        }

        if (request.Kind == AlertRuleKind.DeviceData && (string.IsNullOrWhiteSpace(request.Series) || request.Series.Length > 200 || PlainText.Problem(request.Series, "series") is not null))
        {
            return "A device data rule needs the series it watches (series: 1 to 200 characters, as the data flow names it).";
        }

        if (request.Kind == AlertRuleKind.ModelDrift && (string.IsNullOrWhiteSpace(request.Model) || request.Model.Length > 100))
        {
            return "A model drift rule needs the model's name (model), and a PSI threshold such as 0.25 (significant drift).";
        }

        if (request.Kind == AlertRuleKind.ModelMetric && (string.IsNullOrWhiteSpace(request.Model) || request.Model.Length > 100 || request.ModelMetric is not { } m || !Enum.IsDefined(m)))
        {
            return $"A model metric rule needs the model's name (model) and what it watches (modelMetric: {string.Join(", ", Enum.GetNames<ModelMetric>())}).";
        }

        if (request.Kind is AlertRuleKind.Telemetry or AlertRuleKind.DeviceData or AlertRuleKind.ModelDrift or AlertRuleKind.ModelMetric)
        {
            if (!double.IsFinite(request.Threshold) || request.ClearThreshold is { } c && !double.IsFinite(c))
            {
                return "The thresholds must be numbers.";
            }

            var clear = request.ClearThreshold ?? request.Threshold;
            if (request.Comparison == Comparison.Above && clear > request.Threshold)
            {
                return $"For 'above {request.Threshold}', the clear threshold must be at or below it (e.g. fire above 90, clear at 80 or less).";
            }

            if (request.Comparison == Comparison.Below && clear < request.Threshold)
            {
                return $"For 'below {request.Threshold}', the clear threshold must be at or above it (e.g. fire below 10, clear at 20 or more).";
            }
        }

        if (request.Kind == AlertRuleKind.Workload && request.Threshold is < 0 or > 100_000)
        {
            return "For a workload rule the threshold is how many restarts count as restarting repeatedly (0: restarts are not watched).";
        }

        var lists = new[] { request.GroupIds, request.DeviceIds, request.ChannelIds };
        if (lists.Any(l => l is { Count: > 500 }) || lists.Any(l => l?.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > 64) == true))
        {
            return "groupIds, deviceIds and channelIds hold ids (at most 500 each).";
        }

        return null;
    }

    /// <summary>What the rule says, in words: "CPU above 90 % for 5 min (clears at 70 %)".</summary>
    public static string Describe(AlertRuleKind kind, TelemetryMetric? metric, string? series, Comparison comparison, double threshold, double clear, int forSeconds,
        string? model = null, ModelMetric? modelMetric = null)
    {
        var duration = forSeconds == 0 ? "at once" : $"for {Duration(forSeconds)}";
        return kind switch
        {
            AlertRuleKind.Telemetry => $"{Label(metric)} {comparison.ToString().ToLowerInvariant()} {threshold}{Unit(metric)} {duration}{(clear != threshold ? $" (clears at {clear}{Unit(metric)})" : "")}",
            AlertRuleKind.DeviceData => $"{series} {comparison.ToString().ToLowerInvariant()} {threshold} {duration}{(clear != threshold ? $" (clears at {clear})" : "")}",
            AlertRuleKind.ModelDrift => $"drift (PSI) of {model} {comparison.ToString().ToLowerInvariant()} {threshold} {duration}{(clear != threshold ? $" (clears at {clear})" : "")}",
            AlertRuleKind.ModelMetric => $"{Label(modelMetric)} of {model} {comparison.ToString().ToLowerInvariant()} {threshold}{Unit(modelMetric)} {duration}{(clear != threshold ? $" (clears at {clear}{Unit(modelMetric)})" : "")}",
            AlertRuleKind.DeviceOffline => $"device offline {duration}",
            AlertRuleKind.Workload => $"a workload not running{(threshold > 0 ? $" or restarted {threshold} times or more" : "")} {duration}",
            _ => $"a deployment paused or failed {duration}",
        };
    }

    public static string Label(TelemetryMetric? metric) => metric switch
    {
        TelemetryMetric.CpuPercent => "CPU",
        TelemetryMetric.MemoryPercent => "Memory",
        TelemetryMetric.DiskPercent => "Disk",
        TelemetryMetric.TemperatureCelsius => "Temperature",
        TelemetryMetric.GpuPercent => "GPU",
        TelemetryMetric.LoadAverage => "Load average",
        _ => "Value",
    };

    public static string Unit(TelemetryMetric? metric) => metric switch
    {
        TelemetryMetric.TemperatureCelsius => " °C",
        TelemetryMetric.LoadAverage or null => "",
        _ => " %",
    };

    public static string Label(ModelMetric? metric) => metric switch
    {
        Shared.Alerts.ModelMetric.P95Ms => "p95 latency",
        Shared.Alerts.ModelMetric.ErrorRatePercent => "error rate",
        _ => "time since the last request",
    };

    public static string Unit(ModelMetric? metric) => metric switch
    {
        Shared.Alerts.ModelMetric.P95Ms => " ms",
        Shared.Alerts.ModelMetric.ErrorRatePercent => " %",
        _ => " s",
    };

    public static string Duration(int seconds) => seconds switch
    {
        < 120 => $"{seconds} s",
        < 7200 => $"{seconds / 60} min",
        _ => $"{seconds / 3600} h",
    };
}

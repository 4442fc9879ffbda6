using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Alerts;

/// <summary>What a rule watches.</summary>
[JsonConverter(typeof(EnumNameConverter<AlertRuleKind>))]
public enum AlertRuleKind
{
    /// <summary>A telemetry value (<see cref="TelemetryMetric"/>) above or below a threshold, held for a duration.</summary>
    Telemetry,

    /// <summary>A device offline for longer than the duration.</summary>
    DeviceOffline,

    /// <summary>A device's workload not running (Failed, Stopped, stuck starting) for the duration; with a threshold, also one restarted that many times.</summary>
    Workload,

    /// <summary>A deployment paused or failed (Failed, Aborted, CompletedWithFailures, RolledBack by the rollout).</summary>
    Deployment,

    /// <summary>A device data series (what data flows send) above or below a threshold, held for a duration.</summary>
    DeviceData,

    /// <summary>A model's inputs or outputs drifting from its version's baseline: the worst feature's PSI above a threshold.</summary>
    ModelDrift,

    /// <summary>A served model's p95 latency, recent error rate, or seconds since its last request, past a threshold.</summary>
    ModelMetric,
}

/// <summary>What a model metric rule watches on each device serving the model.</summary>
[JsonConverter(typeof(EnumNameConverter<ModelMetric>))]
public enum ModelMetric
{
    /// <summary>The 95th percentile of its recent requests' latency, in milliseconds.</summary>
    P95Ms,

    /// <summary>Failed requests of the last 5 to 10 minutes (<c>Portal:ModelMonitoring:ErrorRateWindowSeconds</c>), in percent; judged once there were at least 10.</summary>
    ErrorRatePercent,

    /// <summary>Seconds since its last request, on a device that reports it serves the model.</summary>
    RequestsStoppedSeconds,
}

[JsonConverter(typeof(EnumNameConverter<TelemetryMetric>))]
public enum TelemetryMetric
{
    CpuPercent,
    MemoryPercent,
    DiskPercent,
    TemperatureCelsius,
    GpuPercent,
    LoadAverage,
}

[JsonConverter(typeof(EnumNameConverter<Comparison>))]
public enum Comparison
{
    Above,
    Below,
}

[JsonConverter(typeof(EnumNameConverter<AlertSeverity>))]
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>
/// Pending: the condition holds but not yet for the rule's duration (nothing is sent). Firing: it held long enough
/// (notified). Resolved: it cleared (past the clear threshold) for the rule's resolve time (notified when it had fired).
/// </summary>
[JsonConverter(typeof(EnumNameConverter<AlertState>))]
public enum AlertState
{
    Pending,
    Firing,
    Resolved,
}

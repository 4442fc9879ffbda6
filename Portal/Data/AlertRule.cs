using Portal.Shared.Alerts;

namespace Portal.Data;

/// <summary>An alert rule (see <see cref="AlertRuleDto"/>).</summary>
public sealed class AlertRule
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public AlertRuleKind Kind { get; set; }

    public TelemetryMetric? Metric { get; set; }

    public string? Series { get; set; }

    /// <summary>The model a ModelDrift rule watches (its name).</summary>
    public string? Model { get; set; }

    public ModelMetric? ModelMetric { get; set; }

    public Comparison Comparison { get; set; }

    public double Threshold { get; set; }

    public double ClearThreshold { get; set; }

    public int ForSeconds { get; set; }

    public int ResolveAfterSeconds { get; set; }

    public AlertSeverity Severity { get; set; }

    public List<string> GroupIds { get; set; } = [];

    public List<string> DeviceIds { get; set; } = [];

    public List<string> ChannelIds { get; set; } = [];

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

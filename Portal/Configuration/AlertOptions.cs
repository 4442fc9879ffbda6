using System.ComponentModel.DataAnnotations;

namespace Portal.Configuration;

/// <summary>How alert rules are evaluated (<c>Portal:Alerts</c>).</summary>
public sealed class AlertOptions
{
    /// <summary>Rules are evaluated this often, and at once when a device sends telemetry or data.</summary>
    [Range(1, 600)]
    public int EvaluateSeconds { get; set; } = 5;

    /// <summary>Every device's new telemetry and data is looked at this often, whatever news arrived (news can be lost between instances).</summary>
    [Range(5, 3600)]
    public int FullSweepSeconds { get; set; } = 60;

    /// <summary>Resolved alerts are kept this long.</summary>
    [Range(1, 36500)]
    public int ResolvedRetentionDays { get; set; } = 90;

    /// <summary>At most this many alert rules.</summary>
    [Range(1, 100_000)]
    public int MaxRules { get; set; } = 500;
}

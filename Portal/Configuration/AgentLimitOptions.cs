using System.ComponentModel.DataAnnotations;

namespace Portal.Configuration;

/// <summary>
/// What one device may send the agent hub (<c>Portal:Security:AgentLimits</c>). A healthy agent stays far below: a
/// heartbeat every few seconds, a telemetry batch every few seconds, up to ten log chunks a second for each workload
/// someone watches. An outbox that
/// drains after an outage is slowed, not lost: refused telemetry stays on the device and is sent again later.
/// </summary>
public sealed class AgentLimitOptions
{
    /// <summary>Hub calls per second one device may make, on average.</summary>
    [Range(1, 10_000)]
    public int CallsPerSecond { get; set; } = 50;

    /// <summary>Calls one device may make at once above that rate (a reconnect sends several reports together).</summary>
    [Range(1, 100_000)]
    public int CallBurst { get; set; } = 200;

    /// <summary>Telemetry samples per minute one device may store (a one-second agent sends 60; a backlog drains at this rate).</summary>
    [Range(1, 1_000_000)]
    public int TelemetrySamplesPerMinute { get; set; } = 6_000;

    /// <summary>Device data points per minute one device may store (data flows' values; a backlog drains at this rate).</summary>
    [Range(1, 10_000_000)]
    public int DeviceDataPointsPerMinute { get; set; } = 120_000;

    /// <summary>A device's refused calls are logged once per this many seconds (with how many were refused), not each.</summary>
    [Range(1, 3600)]
    public int RejectionLogIntervalSeconds { get; set; } = 60;
}

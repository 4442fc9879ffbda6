using System.ComponentModel.DataAnnotations;

namespace Portal.Configuration;

/// <summary>How drift of served models is measured (<c>Portal:ModelMonitoring</c>).</summary>
public sealed class ModelMonitoringOptions
{
    /// <summary>A device's requests are compared with the baseline in windows of at least this many seconds…</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 300;

    /// <summary>…and at least this many requests (a quieter window waits until it has them).</summary>
    [Range(10, 10_000_000)]
    public int MinWindowRequests { get; set; } = 100;

    /// <summary>A model's recent error rate (for alerts) counts the requests of the last one to two of these periods.</summary>
    [Range(1, 86_400)]
    public int ErrorRateWindowSeconds { get; set; } = 300;

    /// <summary>How long drift points are kept.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;
}

namespace Portal.Data;

/// <summary>The latest inference metrics one device reported for one model it serves.</summary>
public sealed class DeviceModelMetrics
{
    public required string DeviceId { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    public string ExecutionProvider { get; set; } = "";

    public long Requests { get; set; }

    public long Errors { get; set; }

    public double? P50Ms { get; set; }

    public double? P95Ms { get; set; }

    public double? P99Ms { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>When the request count last went up (a "requests stopped" alert counts from here).</summary>
    public DateTimeOffset? LastRequestAt { get; set; }

    /// <summary>The counters at <see cref="BaseAt"/>, moved on every <c>Portal:ModelMonitoring:ErrorRateWindowSeconds</c>: the recent error rate is measured from them.</summary>
    public long BaseRequests { get; set; }

    public long BaseErrors { get; set; }

    public DateTimeOffset? BaseAt { get; set; }
}

namespace Portal.Data;

/// <summary>One device's telemetry over one minute, kept longer than raw samples.</summary>
public sealed class TelemetryMinute
{
    public required string DeviceId { get; set; }

    /// <summary>The start of the minute (UTC, seconds zero).</summary>
    public DateTimeOffset Minute { get; set; }

    public int Samples { get; set; }

    public double CpuPercentAvg { get; set; }

    public double CpuPercentMax { get; set; }

    public long MemoryUsedBytesAvg { get; set; }

    public long MemoryTotalBytes { get; set; }

    public long DiskUsedBytesAvg { get; set; }

    public long DiskTotalBytes { get; set; }

    public double LoadAverage1mAvg { get; set; }

    public long NetworkReceivedBytes { get; set; }

    public long NetworkSentBytes { get; set; }

    public double? TemperatureCelsiusMax { get; set; }
}

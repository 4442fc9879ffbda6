namespace Portal.Data;

/// <summary>One stored telemetry sample; (DeviceId, Sequence) is its identity, so a resent sample is stored once.</summary>
public sealed class TelemetryRecord
{
    public required string DeviceId { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public double CpuPercent { get; set; }

    public long MemoryUsedBytes { get; set; }

    public long MemoryTotalBytes { get; set; }

    public long DiskUsedBytes { get; set; }

    public long DiskTotalBytes { get; set; }

    public double LoadAverage1m { get; set; }

    public long NetworkReceivedBytes { get; set; }

    public long NetworkSentBytes { get; set; }

    public double? TemperatureCelsius { get; set; }

    public double? GpuPercent { get; set; }

    public long? GpuMemoryUsedBytes { get; set; }
}

namespace Portal.Shared.Telemetry;

/// <summary>
/// One reading of a device. <see cref="Sequence"/> counts up per device and survives agent restarts, so the portal
/// can store each sample exactly once however often it is resent.
/// </summary>
public sealed record TelemetrySample(
    long Sequence,
    DateTimeOffset At,
    double CpuPercent,
    long MemoryUsedBytes,
    long MemoryTotalBytes,
    long DiskUsedBytes,
    long DiskTotalBytes,
    double LoadAverage1m,
    long NetworkReceivedBytes,
    long NetworkSentBytes,
    double? TemperatureCelsius,
    double? GpuPercent,
    long? GpuMemoryUsedBytes);

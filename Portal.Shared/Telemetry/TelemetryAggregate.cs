namespace Portal.Shared.Telemetry;

/// <summary>One device's telemetry over one minute (averages, maxima, and the counters' last readings).</summary>
public sealed record TelemetryAggregate(
    DateTimeOffset Minute,
    int Samples,
    double CpuPercentAvg,
    double CpuPercentMax,
    long MemoryUsedBytesAvg,
    long MemoryTotalBytes,
    long DiskUsedBytesAvg,
    long DiskTotalBytes,
    double LoadAverage1mAvg,
    long NetworkReceivedBytes,
    long NetworkSentBytes,
    double? TemperatureCelsiusMax);

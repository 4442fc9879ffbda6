namespace Portal.Features.Devices;

/// <summary>One point of a device's charts, from a raw sample or a minute aggregate. Network counters are cumulative.</summary>
public sealed record TelemetryPoint(
    DateTimeOffset At,
    double Cpu,
    double Memory,
    double Disk,
    long NetworkReceivedBytes,
    long NetworkSentBytes,
    double? TemperatureCelsius,
    double? GpuPercent);

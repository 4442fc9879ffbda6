namespace Portal.Data;

/// <summary>How far alert evaluation has read one device's sequenced stream (telemetry, device data): each sample is judged once.</summary>
public sealed class AlertCursor
{
    public required string Stream { get; set; }

    public required string DeviceId { get; set; }

    public long LastSequence { get; set; }
}

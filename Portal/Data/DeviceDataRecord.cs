namespace Portal.Data;

/// <summary>One stored device data value; (DeviceId, Sequence) is its identity, so a resent point is stored once.</summary>
public sealed class DeviceDataRecord
{
    public required string DeviceId { get; set; }

    public long Sequence { get; set; }

    public required string Series { get; set; }

    public DateTimeOffset At { get; set; }

    public double Value { get; set; }
}

/// <summary>One series of one device over one minute.</summary>
public sealed class DeviceDataMinute
{
    public required string DeviceId { get; set; }

    public required string Series { get; set; }

    public DateTimeOffset Minute { get; set; }

    public int Count { get; set; }

    public double Mean { get; set; }

    public double Min { get; set; }

    public double Max { get; set; }

    public double Last { get; set; }
}

/// <summary>A series a device sends: its unit, the flow that sends it, and its last value (kept as points arrive).</summary>
public sealed class DeviceDataSeriesRow
{
    public required string DeviceId { get; set; }

    public required string Series { get; set; }

    public string? Unit { get; set; }

    public string? Flow { get; set; }

    public double LastValue { get; set; }

    public DateTimeOffset LastAt { get; set; }

    public long LastSequence { get; set; }

    public DateTimeOffset FirstAt { get; set; }
}

namespace Portal.Shared.DeviceData;

/// <summary>A stored value of a series (raw resolution).</summary>
public sealed record DeviceDataValue(DateTimeOffset At, double Value);

/// <summary>A series over one minute: how many values, their mean, least, greatest and last.</summary>
public sealed record DeviceDataAggregate(DateTimeOffset Minute, int Count, double Mean, double Min, double Max, double Last);

/// <summary>
/// The answer of <c>GET /api/v1/devices/{id}/data?series=&amp;from=&amp;to=</c>: raw values (<see cref="Resolution"/>
/// "raw") or 1-minute aggregates ("minute"). With resolution=auto, ranges up to 6 hours holding at most 10,000 values
/// are raw, others aggregated. <see cref="Truncated"/>: the range held more than one answer carries, and these are its newest.
/// </summary>
public sealed record DeviceDataSeries(
    string DeviceId,
    string Series,
    string? Unit,
    string Resolution,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<DeviceDataValue> Values,
    IReadOnlyList<DeviceDataAggregate> Minutes,
    bool Truncated = false);

/// <summary>What a device sends, series by series, with the last value: the device page's and the Data page's list.</summary>
public sealed record DeviceDataSeriesInfo(
    string DeviceId,
    string DeviceName,
    string Series,
    string? Unit,
    string? Flow,
    double LastValue,
    DateTimeOffset LastAt,
    DateTimeOffset FirstAt);

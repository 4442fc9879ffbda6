namespace Portal.Shared.DeviceData;

/// <summary>
/// One value a device sent to the portal (a data flow's Portal sink): a named series with its unit, at a time.
/// <see cref="Sequence"/> counts up per device and survives agent restarts, so each point is stored exactly once
/// however often it is resent.
/// </summary>
public sealed record DeviceDataPoint(long Sequence, string Series, double Value, string? Unit, DateTimeOffset At, string? Flow = null)
{
    /// <summary>Series and flow names: letters, digits and <c>. _ - /</c>, at most this long.</summary>
    public const int MaxNameLength = 128;

    public const int MaxUnitLength = Portal.Shared.DataFlows.DataFlowValidator.MaxUnitLength;
}

/// <summary>
/// Points in sequence order, oldest first. <see cref="DroppedSinceLastBatch"/> counts points the agent's outbox had to
/// discard because it was full while the portal was out of reach.
/// </summary>
public sealed record DeviceDataBatch(IReadOnlyList<DeviceDataPoint> Points, long DroppedSinceLastBatch)
{
    /// <summary>The most points one batch may carry; a larger batch is rejected whole.</summary>
    public const int MaxPoints = 1_000;
}

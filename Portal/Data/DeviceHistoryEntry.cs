using Portal.Shared.Devices;

namespace Portal.Data;

/// <summary>Something that happened to a device (came online, went offline, relabelled, decommissioned), kept for its history.</summary>
public sealed class DeviceHistoryEntry
{
    public long Id { get; set; }

    public required string DeviceId { get; set; }

    public DateTimeOffset At { get; set; }

    public DeviceStatus Status { get; set; }

    public required string What { get; set; }
}

namespace Portal.Shared.Devices;

/// <summary>A device as <c>GET /api/v1/devices</c> and the Devices page show it.</summary>
public sealed record DeviceDto(
    string Id,
    string Name,
    DeviceStatus Status,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? LastSeenAt,
    IReadOnlyDictionary<string, string> Labels,
    DeviceInventory? Inventory);

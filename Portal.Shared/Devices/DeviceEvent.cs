namespace Portal.Shared.Devices;

/// <summary>Something that happened to a device: live on pages, and in <c>GET /api/v1/devices/{id}/history</c>.</summary>
public sealed record DeviceEvent(string DeviceId, string DeviceName, DeviceStatus Status, string What, DateTimeOffset At);

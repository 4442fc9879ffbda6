namespace Portal.Shared.Devices;

/// <summary>One page of devices and how many match in all.</summary>
public sealed record DevicePage(IReadOnlyList<DeviceDto> Items, int Total);

namespace Portal.Data;

/// <summary>A named set of devices: static members plus those whose labels match the selector.</summary>
public sealed class DeviceGroup
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public Dictionary<string, string> Selector { get; set; } = [];

    public List<string> StaticMembers { get; set; } = [];

    /// <summary>When its devices may be changed by deployments that respect maintenance windows; none: any time.</summary>
    public List<Portal.Shared.Devices.MaintenanceWindow> MaintenanceWindows { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

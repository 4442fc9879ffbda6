using Portal.Shared.Devices;

namespace Portal.Data;

/// <summary>An enrolled device. Whether it is online lives in memory (the connection registry), not here.</summary>
public sealed class Device
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public required string Name { get; set; }

    /// <summary>SHA-256 of the device secret; the secret itself is only on the device.</summary>
    public required string SecretHash { get; set; }

    public DateTimeOffset EnrolledAt { get; set; }

    public string? EnrollmentTokenId { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    public DeviceInventory? Inventory { get; set; }
}

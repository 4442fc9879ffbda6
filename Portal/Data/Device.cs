using Portal.Shared.Devices;

namespace Portal.Data;

/// <summary>
/// An enrolled device. Whether it is online is known in memory by the instance it is connected to; the row also
/// says which instance that is, so every other instance (and one that starts later) knows it too.
/// </summary>
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

    /// <summary>The portal instance the device is connected to now; null while it is offline.</summary>
    public string? ConnectedInstance { get; set; }

    /// <summary>Its SignalR connection on that instance (client results need one connection).</summary>
    public string? ConnectionId { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    public DeviceInventory? Inventory { get; set; }
}

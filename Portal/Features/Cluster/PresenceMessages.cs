namespace Portal.Features.Cluster;

/// <summary>A device connected to (or left) a portal instance.</summary>
public sealed record PresenceChanged(string DeviceId, string Instance, string? ConnectionId, bool Online);

/// <summary>Asks whichever instance holds the device's connection to close it (the device was decommissioned).</summary>
public sealed record DisconnectRequested(string DeviceId);

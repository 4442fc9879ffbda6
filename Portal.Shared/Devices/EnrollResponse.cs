namespace Portal.Shared.Devices;

/// <summary>The new device's identity. The agent keeps the secret; the portal keeps only its hash.</summary>
public sealed record EnrollResponse(string DeviceId, string DeviceSecret);

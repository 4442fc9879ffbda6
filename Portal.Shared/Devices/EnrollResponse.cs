namespace Portal.Shared.Devices;

/// <summary>
/// The new device's identity. The agent keeps the secret; the portal keeps only its hash. <see cref="ReleaseKey"/> is
/// the portal's public key for agent releases (SubjectPublicKeyInfo, base64): the agent pins it and installs only
/// releases whose manifest it verifies.
/// </summary>
public sealed record EnrollResponse(string DeviceId, string DeviceSecret, string? ReleaseKey = null);

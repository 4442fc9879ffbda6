namespace Portal.Agent.Enrollment;

/// <summary>
/// The device's identity, saved in the data directory after enrollment (file mode 0600), and the portal's public key
/// for agent releases (<see cref="ReleaseKey"/>), pinned then or on the first connect of an agent enrolled before.
/// </summary>
public sealed record AgentCredentials(string DeviceId, string DeviceSecret, string PortalUrl, DateTimeOffset EnrolledAt, string? ReleaseKey = null);

namespace Portal.Agent.Enrollment;

/// <summary>The device's identity, saved in the data directory after enrollment (file mode 0600).</summary>
public sealed record AgentCredentials(string DeviceId, string DeviceSecret, string PortalUrl, DateTimeOffset EnrolledAt);

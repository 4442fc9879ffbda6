namespace Portal.Data;

/// <summary>A running portal instance; it stamps <see cref="SeenAt"/> every few seconds while it lives.</summary>
public sealed class PortalInstance
{
    public required string Id { get; set; }

    /// <summary>Host name and process id, for people reading the cluster page.</summary>
    public required string Host { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset SeenAt { get; set; }
}

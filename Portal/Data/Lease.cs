namespace Portal.Data;

/// <summary>
/// Work that must run on one portal instance at a time (rollout stepping, retention, offline detection) is done by
/// whichever instance holds its lease; a holder that stops renewing loses it when it expires.
/// </summary>
public sealed class Lease
{
    public required string Name { get; set; }

    public required string Holder { get; set; }

    public DateTimeOffset AcquiredAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

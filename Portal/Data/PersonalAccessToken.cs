namespace Portal.Data;

/// <summary>
/// A user's token for automation (<c>Authorization: Bearer pat_…</c>): shown once, stored as a SHA-256 hash, acting
/// with a role no higher than its owner's, until it expires or is revoked.
/// </summary>
public sealed class PersonalAccessToken
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string Role { get; set; }

    /// <summary>The first characters of the token, so people can tell their tokens apart; never enough to use it.</summary>
    public required string Prefix { get; set; }

    public required string SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public string? LastUsedIp { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

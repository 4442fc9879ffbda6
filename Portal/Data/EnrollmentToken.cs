namespace Portal.Data;

/// <summary>A token that lets new devices join. Only its hash is stored.</summary>
public sealed class EnrollmentToken
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public required string Name { get; set; }

    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public int MaxUses { get; set; } = 1;

    public int Uses { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Labels every device enrolled with this token starts with.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];
}

namespace Portal.Shared.Devices;

/// <summary>An enrollment token as listed; the token itself is shown only once, when created.</summary>
public sealed record EnrollmentTokenDto(
    string Id,
    string Name,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset ExpiresAt,
    int MaxUses,
    int Uses,
    bool Revoked,
    IReadOnlyDictionary<string, string> Labels)
{
    public int UsesLeft => Math.Max(0, MaxUses - Uses);

    public bool IsUsable(DateTimeOffset now) => !Revoked && UsesLeft > 0 && ExpiresAt > now;
}

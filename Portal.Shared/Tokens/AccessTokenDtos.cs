namespace Portal.Shared.Tokens;

/// <summary>A personal access token as listed: never the secret itself, only its first characters.</summary>
public sealed record AccessTokenDto(
    string Id,
    string Name,
    string Role,
    string Prefix,
    string OwnerEmail,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? LastUsedIp,
    DateTimeOffset? RevokedAt);

/// <summary>Creates a token for automation: a name, how many days it lives, and a role no higher than the creator's.</summary>
public sealed record CreateAccessTokenRequest(string Name, int ExpiresInDays = 30, string? Role = null);

/// <summary>The new token and its <see cref="Secret"/>, shown this once and never again: <c>{"token": {...}, "secret": "..."}</c>, as for enrollment tokens.</summary>
public sealed record CreatedAccessToken(AccessTokenDto Token, string Secret);

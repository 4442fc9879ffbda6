namespace Portal.Shared.Config;

/// <summary>A secret as every reader sees it: its name and where it is kept, never its value.</summary>
public sealed record SecretDto(
    string Name,
    SecretKind Kind,
    ConfigLevel Level,
    string? OwnerId,
    string? Server,
    string? Username,
    DateTimeOffset UpdatedAt);

namespace Portal.Shared.Marketplace;

/// <summary>A marketplace app as the portal lists it. Operators deploy only certified, unretired apps.</summary>
public sealed record AppDto(
    string Id,
    string Name,
    string Publisher,
    string Category,
    string Description,
    string IconUrl,
    bool Certified,
    DateTimeOffset? CertifiedAt,
    string? CertifiedBy,
    bool Retired,
    IReadOnlyList<AppVersion> Versions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

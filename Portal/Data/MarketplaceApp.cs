using Portal.Shared.Marketplace;

namespace Portal.Data;

/// <summary>An app of the marketplace; its versions live in one JSON column (they are read and written whole).</summary>
public sealed class MarketplaceApp
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string Publisher { get; set; } = "";

    public string Category { get; set; } = "";

    public string Description { get; set; } = "";

    public string IconUrl { get; set; } = "";

    public bool Certified { get; set; }

    public DateTimeOffset? CertifiedAt { get; set; }

    public string? CertifiedBy { get; set; }

    public bool Retired { get; set; }

    public List<AppVersion> Versions { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

namespace Portal.Shared.Marketplace;

/// <summary>Certify an app (true) or withdraw its certification (false).</summary>
public sealed record CertifyRequest(bool Certified = true);

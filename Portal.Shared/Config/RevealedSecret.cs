namespace Portal.Shared.Config;

/// <summary>A secret's plain value, for admins only; every reveal is audited.</summary>
public sealed record RevealedSecret(string Name, SecretKind Kind, string Value, string? Server, string? Username);

namespace Portal.Shared.Config;

/// <summary>Sets or replaces a secret. For a registry credential <see cref="Value"/> is the password or token.</summary>
public sealed record SaveSecretRequest(string? Value, SecretKind Kind = SecretKind.Value, string? Server = null, string? Username = null);

using Portal.Shared.Config;

namespace Portal.Data;

/// <summary>
/// A secret kept at one level. <see cref="ProtectedValue"/> is Data Protection's cipher text (the plain value is never
/// stored); server and user of a registry credential are not secret and stay readable.
/// </summary>
public sealed class ConfigSecret
{
    public ConfigLevel Level { get; set; }

    public string OwnerId { get; set; } = "";

    public required string Name { get; set; }

    public SecretKind Kind { get; set; }

    public required string ProtectedValue { get; set; }

    public string? Server { get; set; }

    public string? Username { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

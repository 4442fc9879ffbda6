using Microsoft.AspNetCore.DataProtection;

namespace Portal.Features.Notifications;

/// <summary>Encrypts channel secrets (webhook signing keys, MQTT passwords) at rest with Data Protection under their own purpose.</summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    public const string Purpose = "Portal.Notifications.ChannelSecrets.v1";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public string Protect(string value) => protector.Protect(value);

    /// <summary>The plain value; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the key ring that encrypted it is gone.</summary>
    public string Unprotect(string protectedValue) => protector.Unprotect(protectedValue);
}

using Microsoft.AspNetCore.DataProtection;

namespace Portal.Features.FleetConfig;

/// <summary>
/// Encrypts secret values at rest with ASP.NET Core Data Protection under their own purpose (the key ring in the data
/// directory's <c>keys</c> folder). Losing the key ring loses the secrets: they must then be set again.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "Portal.FleetConfig.Secrets.v1";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public string Protect(string value) => protector.Protect(value);

    /// <summary>The plain value; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the keys are gone.</summary>
    public string Unprotect(string protectedValue) => protector.Unprotect(protectedValue);
}

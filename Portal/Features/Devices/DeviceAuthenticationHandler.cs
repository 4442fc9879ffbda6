using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Security;
using Portal.Shared.Security;

namespace Portal.Features.Devices;

/// <summary>
/// Authenticates agents by their device secret (<c>Authorization: Bearer dev_{deviceId}.{random}</c>). A revoked
/// device, or a secret that does not match, fails; the principal carries the device id and the Device role only.
/// </summary>
internal sealed class DeviceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<PortalDbContext> dbFactory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = PortalAuthSchemes.Device;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer + EnrollmentService.SecretPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header[bearer.Length..].Trim();
        var dot = secret.IndexOf('.', StringComparison.Ordinal);
        if (dot <= EnrollmentService.SecretPrefix.Length)
        {
            return AuthenticateResult.Fail("Malformed device secret.");
        }

        var deviceId = secret[EnrollmentService.SecretPrefix.Length..dot];
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var device = await db.Devices.AsNoTracking()
            .Where(d => d.Id == deviceId)
            .Select(d => new { d.Name, d.SecretHash, d.RevokedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (device is null || !SecretTokens.Matches(secret, device.SecretHash))
        {
            return AuthenticateResult.Fail("Unknown device or wrong secret.");
        }

        if (device.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The device was revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, deviceId), new Claim(ClaimTypes.Name, device.Name), new Claim(ClaimTypes.Role, PortalRoles.Device)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Security;

namespace Portal.Features.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer pat_…</c> on the REST API. The token must be unexpired and unrevoked and its
/// owner present and not locked out; it acts with its own role, capped at the owner's current role (a demoted owner's
/// tokens lose rights at once). The secret is looked up by its hash, compared in constant time, and never logged.
/// </summary>
internal sealed class AccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = PortalAuthSchemes.AccessToken;

    /// <summary>Last use is written at most this often per token, not on every request.</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer + AccessTokenService.SecretPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header[bearer.Length..].Trim();
        var hash = SecretTokens.Hash(secret);
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var token = await db.AccessTokens.FirstOrDefaultAsync(t => t.SecretHash == hash, Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (token is null || !SecretTokens.Matches(secret, token.SecretHash))
        {
            return AuthenticateResult.Fail("Unknown access token.");
        }

        if (token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail(token.RevokedAt is not null ? "The access token was revoked." : "The access token has expired.");
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.UserId, Context.RequestAborted);
        if (user is null || (user.LockoutEnd is { } end && end > now))
        {
            return AuthenticateResult.Fail("The token's owner is locked out or gone.");
        }

        var ownerRole = await AccessTokenService.RoleOfAsync(db, user.Id, Context.RequestAborted);
        var allowed = ownerRole is null ? [] : AccessTokenService.RolesUpTo(ownerRole);
        var role = allowed.Contains(token.Role) ? token.Role : allowed.Count > 0 ? allowed[0] : null;
        if (role is null)
        {
            return AuthenticateResult.Fail("The token's owner has no role any more.");
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > TouchInterval)
        {
            token.LastUsedAt = now;
            token.LastUsedIp = Context.Connection.RemoteIpAddress?.ToString();
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.Email ?? user.UserName ?? user.Id),
            new Claim(ClaimTypes.Role, role),
            new Claim(PortalClaims.TokenId, token.Id),
            new Claim(PortalClaims.TokenName, token.Name),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

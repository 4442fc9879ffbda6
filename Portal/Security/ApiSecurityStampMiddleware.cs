using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Security;

/// <summary>
/// Bearer tokens are self-contained, so without this a deleted or locked user's token would work until it expires.
/// On API requests the token's security stamp is compared with the user's current one; a stale token is anonymous.
/// </summary>
internal sealed class ApiSecurityStampMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, UserManager<PortalUser> users, IOptions<IdentityOptions> identity)
    {
        if (PortalAuthSchemes.IsApiRequest(context.Request) && context.User.Identity?.IsAuthenticated == true
            && context.User.Identity.AuthenticationType is not (PortalAuthSchemes.Device or PortalAuthSchemes.AccessToken)
            && !await IsCurrentAsync(context.User, users, identity.Value))
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
        }

        await next(context);
    }

    private static async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, UserManager<PortalUser> users, IdentityOptions identity)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        var stamp = principal.FindFirstValue(identity.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}

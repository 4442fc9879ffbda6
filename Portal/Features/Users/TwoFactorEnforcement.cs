using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Portal.Data;
using Portal.Security;
using Portal.Shared.Security;

namespace Portal.Features.Users;

/// <summary>
/// When two-factor is required for admins, an admin without it is sent to set it up before any page opens, and their
/// API calls get 403. Account pages (sign-in, set-up, sign-out), the Blazor runtime and static files stay open.
/// </summary>
internal sealed class TwoFactorEnforcement(RequestDelegate next)
{
    public const string SetupPath = "/Account/Manage/TwoFactor";

    private static readonly string[] OpenPrefixes =
        ["/Account", "/_framework", "/_content", "/_blazor", "/assets", "/healthz", "/readyz", "/not-found", "/Error", "/hubs"];

    public async Task InvokeAsync(HttpContext context, ITwoFactorRequirement policy, UserManager<PortalUser> users)
    {
        if (!policy.RequiredForAdmins || !MustHaveTwoFactor(context) || !await LacksTwoFactorAsync(context.User, users))
        {
            await next(context);
            return;
        }

        if (PortalAuthSchemes.IsApiRequest(context.Request))
        {
            await Results.Problem(
                "Admins must set up two-factor sign-in first: open My account → Two-factor sign-in in the portal.",
                statusCode: StatusCodes.Status403Forbidden, title: "Two-factor sign-in required").ExecuteAsync(context);
            return;
        }

        context.Response.Redirect(SetupPath + "?required=true");
    }

    private static bool MustHaveTwoFactor(HttpContext context)
    {
        var request = context.Request;
        if (context.User.Identity?.IsAuthenticated != true || !context.User.IsInRole(PortalRoles.Admin)
            || context.User.Identity.AuthenticationType == PortalAuthSchemes.Device)
        {
            return false;
        }

        if (PortalAuthSchemes.IsApiRequest(request))
        {
            // Signing in (and refreshing) is how an admin gets anywhere at all.
            return !request.Path.StartsWithSegments(Portal.Shared.Routes.ApiRoutes.Auth, StringComparison.OrdinalIgnoreCase);
        }

        return !OpenPrefixes.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
            && !Path.HasExtension(request.Path.Value);
    }

    private static async Task<bool> LacksTwoFactorAsync(ClaimsPrincipal principal, UserManager<PortalUser> users)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var user = id is null ? null : await users.FindByIdAsync(id);
        return user is not null && !await users.GetTwoFactorEnabledAsync(user);
    }
}

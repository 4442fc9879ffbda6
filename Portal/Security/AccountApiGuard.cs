using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Portal.Shared.Routes;

namespace Portal.Security;

/// <summary>
/// Identity's <c>/api/v1/auth/manage/*</c> (password, e-mail, two-factor) changes the account itself, so only the person
/// may use it: signed in with their password (the sign-in cookie or the token of <c>/api/v1/auth/login</c>). A personal
/// access token - even an admin's Viewer-scoped one - or a device secret is refused with 403 before Identity runs.
/// </summary>
internal static class AccountApiGuard
{
    public const string ManagePrefix = "/manage";

    public static bool IsRefused(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ApiRoutes.Auth + ManagePrefix, StringComparison.OrdinalIgnoreCase)
        && context.User.Identity?.IsAuthenticated == true
        && !IsPasswordSignIn(context.User);

    public static IResult Problem() => TypedResults.Problem(
        "Access tokens and device secrets cannot manage an account (password, e-mail, two-factor). Sign in with your password "
        + "(POST /api/v1/auth/login, or the account page in the browser) to change these.",
        statusCode: StatusCodes.Status403Forbidden, title: "Not allowed with this credential");

    /// <summary>Identity's cookie and bearer token both carry the principal its sign-in built; tokens and devices carry their own.</summary>
    private static bool IsPasswordSignIn(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme
        && user.FindFirst(PortalClaims.TokenId) is null;
}

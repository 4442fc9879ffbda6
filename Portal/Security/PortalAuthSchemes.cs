using Microsoft.AspNetCore.Identity;

namespace Portal.Security;

internal static class PortalAuthSchemes
{
    /// <summary>Forwards to the bearer scheme when a request carries a bearer token, else to the sign-in cookie.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    public static string Select(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? IdentityConstants.BearerScheme
            : IdentityConstants.ApplicationScheme;

    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments(Portal.Shared.Routes.ApiRoutes.Prefix, StringComparison.OrdinalIgnoreCase);
}

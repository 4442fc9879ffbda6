using Microsoft.AspNetCore.Identity;

namespace Portal.Security;

internal static class PortalAuthSchemes
{
    /// <summary>Device secrets go to the device scheme, access tokens to theirs, other bearer tokens to Identity's, everything else to the sign-in cookie.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    /// <summary>Agents' device secrets (<see cref="DeviceSecretPrefix"/>…). Named here, below the features whose handlers serve them.</summary>
    public const string Device = "Device";

    /// <summary>Personal access tokens (<see cref="AccessTokenSecretPrefix"/>…).</summary>
    public const string AccessToken = "AccessToken";

    public const string DeviceSecretPrefix = "dev_";

    public const string AccessTokenSecretPrefix = "pat_";

    public static string Select(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        // Pages only ever use the cookie: a bearer token must not open a page its API check would refuse.
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !(IsApiRequest(context.Request) || context.Request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
                || context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)))
        {
            return IdentityConstants.ApplicationScheme;
        }

        return header.StartsWith("Bearer " + DeviceSecretPrefix, StringComparison.Ordinal) ? Device
            : header.StartsWith("Bearer " + AccessTokenSecretPrefix, StringComparison.Ordinal) ? AccessToken
            : IdentityConstants.BearerScheme;
    }

    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments(Portal.Shared.Routes.ApiRoutes.Prefix, StringComparison.OrdinalIgnoreCase);
}

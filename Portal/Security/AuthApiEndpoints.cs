using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Portal.Data;
using Portal.Shared.Routes;

namespace Portal.Security;

internal static class AuthApiEndpoints
{
    // Identity's e-mail flows need a mail server the portal does not have, and accounts come only from admins.
    internal static readonly string[] DisabledAuthRoutes =
        ["/register", "/forgotPassword", "/resetPassword", "/confirmEmail", "/resendConfirmationEmail", "/manage/2fa"];

    /// <summary>Identity's API endpoints (sign-in and refresh for scripts) at <c>/api/v1/auth</c>, less what is switched off.</summary>
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup(ApiRoutes.Auth).WithTags("Auth").RequireRateLimiting(RateLimits.SignIn);
        auth.AddEndpointFilter(async (context, next) =>
            DisabledAuthRoutes.Any(r => context.HttpContext.Request.Path.StartsWithSegments(ApiRoutes.Auth + r, StringComparison.OrdinalIgnoreCase))
                ? TypedResults.Problem("Self-registration, e-mail password resets and two-factor set-up through the API are off. Ask an admin to create your account or reset your password.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Not available")
                : AccountApiGuard.IsRefused(context.HttpContext) ? AccountApiGuard.Problem()
                : await next(context));
        auth.AddEndpointFilter<AuthTextFilter>();
        // Sign-in and refresh are for callers who are not signed in yet; the /manage routes keep their own [Authorize].
        auth.MapIdentityApi<PortalUser>().Finally(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IAuthorizeData>().Any())
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        return endpoints;
    }
}

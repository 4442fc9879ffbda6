using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portal.Data;

namespace Portal.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>Endpoints the statically rendered account pages post to.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post with an antiforgery token (minimal APIs validate it for form bodies).
        endpoints.MapPost("/Account/Logout", async (SignInManager<PortalUser> signInManager, [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            var target = string.IsNullOrEmpty(returnUrl) || !Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) || returnUrl.StartsWith("//", StringComparison.Ordinal)
                ? "/"
                : returnUrl;
            return TypedResults.LocalRedirect($"~/Account/Login?ReturnUrl={Uri.EscapeDataString(target)}&signedOut=true");
        }).ExcludeFromDescription();
        return endpoints;
    }
}

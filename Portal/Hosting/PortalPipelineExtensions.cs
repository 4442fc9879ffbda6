using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Portal.Components;
using Portal.Components.Account;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Cluster;
using Portal.Features.Devices;
using Portal.Features.Groups;
using Portal.Features.Models;
using Portal.Features.Tokens;
using Portal.Features.Users;
using Portal.Hubs;
using Portal.Security;
using Portal.Shared.Routes;

using Portal.Features.Deployments;
using Portal.Features.Marketplace;
using Portal.Features.Workloads;

namespace Portal.Hosting;

internal static class PortalPipelineExtensions
{
    public static WebApplication MapPortal(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        // In every environment, an exception on /api/v1 answers a problem document (ApiExceptionHandler), never a page.
        app.UseWhen(c => PortalAuthSchemes.IsApiRequest(c.Request), api => api.UseExceptionHandler());

        // API callers get problem details for bare status codes; browsers get the not-found page; agents on the hub
        // get the bare status code (a 401 there must stay a 401, not become a page).
        app.UseWhen(c => PortalAuthSchemes.IsApiRequest(c.Request), api => api.UseStatusCodePages());
        app.UseWhen(c => !PortalAuthSchemes.IsApiRequest(c.Request) && !c.Request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));

        app.UseMiddleware<SecurityHeaders>();
        app.UseBrandingAssets();
        app.UseAuthentication();
        app.UseMiddleware<ApiSecurityStampMiddleware>();
        app.UseMiddleware<TwoFactorEnforcement>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(ApiRoutes.AgentHub, StringComparison.OrdinalIgnoreCase), hub => hub.UseMiddleware<AgentConnectionCap>());
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapAuthApi();
        app.MapUserEndpoints();
        app.MapAuditEndpoints();
        app.MapDeviceEndpoints();
        app.MapGroupEndpoints();
        app.MapMarketplaceEndpoints();
        app.MapAppIconEndpoints();
        app.MapDeploymentEndpoints();
        app.MapDeploymentUpdateEndpoints();
        app.MapDeploymentCheckEndpoints();
        app.MapWorkloadEndpoints();
        app.MapModelEndpoints();
        app.MapTokenEndpoints();
        app.MapClusterEndpoints();
        app.MapHub<AgentHub>(ApiRoutes.AgentHub);
        app.MapPortalOpenApi();
        return app;
    }

    // Identity's e-mail flows need a mail server the portal does not have, and accounts come only from admins.
    internal static readonly string[] DisabledAuthRoutes =
        ["/register", "/forgotPassword", "/resetPassword", "/confirmEmail", "/resendConfirmationEmail", "/manage/2fa"];

    private static void MapAuthApi(this WebApplication app)
    {
        var auth = app.MapGroup(ApiRoutes.Auth).WithTags("Auth").RequireRateLimiting(RateLimits.SignIn);
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
    }
}

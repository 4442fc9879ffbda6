using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Portal.Components;
using Portal.Components.Account;
using Portal.Data;
using Portal.Features.Users;
using Portal.Security;
using Portal.Shared.Routes;

namespace Portal.Hosting;

internal static class PortalPipelineExtensions
{
    public static WebApplication MapPortal(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        // API callers get problem details for bare status codes; browsers get the not-found page.
        app.UseWhen(c => PortalAuthSchemes.IsApiRequest(c.Request), api => api.UseStatusCodePages());
        app.UseWhen(c => !PortalAuthSchemes.IsApiRequest(c.Request),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));

        app.UseBrandingAssets();
        app.UseAuthentication();
        app.UseMiddleware<ApiSecurityStampMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapAuthApi();
        app.MapUserEndpoints();
        return app;
    }

    private static void MapAuthApi(this WebApplication app)
    {
        var auth = app.MapGroup(ApiRoutes.Auth).WithTags("Auth");
        // Only admins create users: Identity's self-registration endpoint answers 403 instead.
        auth.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Path.StartsWithSegments(ApiRoutes.Auth + "/register", StringComparison.OrdinalIgnoreCase)
                ? TypedResults.Problem("Self-registration is off. Ask an admin to create your account.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Registration disabled")
                : await next(context));
        auth.MapIdentityApi<PortalUser>();
    }
}

using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Portal.Components;
using Portal.Features.AgentReleases;
using Portal.Features.Alerts;
using Portal.Features.Audit;
using Portal.Features.Cluster;
using Portal.Features.DataFlows;
using Portal.Features.Deployments;
using Portal.Features.DeviceActions;
using Portal.Features.DeviceData;
using Portal.Features.Devices;
using Portal.Features.FleetConfig;
using Portal.Features.Groups;
using Portal.Features.Marketplace;
using Portal.Features.Models;
using Portal.Features.Notifications;
using Portal.Features.Tokens;
using Portal.Features.Users;
using Portal.Features.Workloads;
using Portal.Hubs;
using Portal.Security;
using Portal.Shared.Routes;

namespace Portal.Hosting;

/// <summary>The middleware, in the order it must run, then one <c>MapX</c> per area.</summary>
internal static class PortalPipelineExtensions
{
    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UsePortalMiddleware();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();

        app.MapPortalComponents();
        app.MapAuthApi();
        app.MapUsers();
        app.MapAudit();
        app.MapNotificationChannels();
        app.MapAlerts();
        app.MapDevices();
        app.MapDeviceActions();
        app.MapDeviceData();
        app.MapGroups();
        app.MapFleetConfig();
        app.MapMarketplace();
        app.MapDeployments();
        app.MapWorkloads();
        app.MapModels();
        app.MapDataFlows();
        app.MapAgentReleases();
        app.MapTokens();
        app.MapClusterEndpoints();
        app.MapAgentHub();
        app.MapPortalOpenApi();
        return app;
    }

    private static void UsePortalMiddleware(this WebApplication app)
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
    }
}

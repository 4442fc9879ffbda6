using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Components;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Account;
using Portal.Features.AgentReleases;
using Portal.Features.Alerts;
using Portal.Features.Audit;
using Portal.Features.Cluster;
using Portal.Features.Dashboard;
using Portal.Features.DataFlows;
using Portal.Features.Deployments;
using Portal.Features.DeviceActions;
using Portal.Features.DeviceData;
using Portal.Features.Devices;
using Portal.Features.FleetConfig;
using Portal.Features.Groups;
using Portal.Features.LocalAgent;
using Portal.Features.Marketplace;
using Portal.Features.Models;
using Portal.Features.Notifications;
using Portal.Features.Telemetry;
using Portal.Features.Tokens;
using Portal.Features.Users;
using Portal.Features.Workloads;
using Portal.Hubs;
using Portal.Security;

namespace Portal.Hosting;

/// <summary>The portal's services: what hosting itself needs, then one module per area (each feature's <c>AddX</c>).</summary>
internal static class PortalServiceExtensions
{
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var portal = builder.AddPortalHosting();

        services.AddPortalData(configuration);
        services.AddPortalCluster(configuration);
        services.AddPortalAuth(portal);
        services.AddPortalRateLimits(portal.Security.RateLimits);
        services.AddPortalComponents();
        services.AddNotifications();

        services.AddUsers();
        services.AddDevices();
        services.AddDeviceActions();
        // Before the local agent: hosted services stop in reverse order, and the writer flushes what the agent sent last.
        services.AddTelemetry();
        services.AddDeviceData();
        services.AddGroups();
        services.AddFleetConfig();
        services.AddLocalAgent();
        services.AddMarketplace();
        services.AddDeployments();
        services.AddWorkloads();
        services.AddAgentHub(configuration);
        services.AddPortalOpenApi();
        services.AddAudit();
        services.AddNotificationChannels();
        services.AddAlerts();
        services.AddTokens();
        services.AddModels();
        services.AddDataFlows();
        services.AddAgentReleases();
        services.AddAccount();
        services.AddDashboard();
        return builder;
    }

    /// <summary>Options, the clock, problem details, health checks and Kestrel's limits; returns the bound options for the modules that size things at start.</summary>
    private static PortalOptions AddPortalHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();
        var portal = builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();

        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        // Binding failures throw, so the API's exception handler can say what was wrong instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddHealthChecks().AddCheck<DataDiskHealthCheck>("data-disk", tags: ["ready"]);
        // Bodies are small everywhere but model uploads, which raise their own limit (Portal:Models:MaxUploadMb).
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = portal.Security.MaxRequestBodyMb * 1024L * 1024);
        return portal;
    }
}

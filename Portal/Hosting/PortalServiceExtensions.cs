using MudBlazor.Services;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Account;
using Portal.Features.Cluster;
using Portal.Common;
using Portal.Features.Devices;
using Portal.Features.Telemetry;
using Portal.Features.Users;
using Portal.Hubs;
using Portal.Security;

namespace Portal.Hosting;

internal static class PortalServiceExtensions
{
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PortalOptions>, PortalOptionsValidator>();
        var portal = builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();

        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        // Binding failures throw, so the API's exception handler can say what was wrong instead of a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddHealthChecks().AddCheck<DataDiskHealthCheck>("data-disk", tags: ["ready"]);
        services.AddPortalData(builder.Configuration);
        services.AddPortalCluster(builder.Configuration);
        services.AddPortalAuth(portal);
        services.AddPortalRateLimits(portal.Security.RateLimits);
        // Bodies are small everywhere but model uploads, which raise their own limit (Portal:Models:MaxUploadMb).
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = portal.Security.MaxRequestBodyMb * 1024L * 1024);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);

        services.AddSingleton<IUserAdminService, UserAdminService>();
        services.AddScoped<AdminBootstrapper>();
        services.AddSingleton<EnrollmentTokenService>();
        services.AddSingleton<EnrollmentService>();
        services.AddSingleton<DeviceService>();
        services.AddSingleton<DeviceDecommission>();
        services.AddSingleton<IWorkloadDrain, Portal.Features.Deployments.WorkloadDrain>();
        services.AddSingleton<DeviceEvents>();
        services.AddHostedService<OfflineDetection>();
        services.AddSingleton(typeof(Notifier<>));
        services.AddSingleton<TelemetryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryWriter>());
        services.AddSingleton<TelemetryService>();
        services.AddSingleton<Portal.Features.Groups.GroupService>();
        services.AddSingleton<IDeviceGroups>(sp => sp.GetRequiredService<Portal.Features.Groups.GroupService>());
        services.AddSingleton<Portal.Features.Groups.GroupDeletion>();
        services.AddSingleton<Portal.Features.Groups.IDeploymentTargetsChanged, Portal.Features.Deployments.DeploymentTargetsChanged>();
        services.AddHostedService<Portal.Features.LocalAgent.LocalAgentHost>();
        services.AddSingleton<TelemetryMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryMaintenance>());
        services.AddSingleton<DeviceConnectionRegistry>();
        services.AddSingleton<Portal.Features.Marketplace.MarketplaceService>();
        services.AddSingleton<Portal.Features.Marketplace.AppIconStore>();
        services.AddSingleton<Portal.Features.Marketplace.AppIconService>();
        services.AddSingleton<Portal.Features.Marketplace.MarketplaceSeeder>();
        services.AddSingleton<Portal.Features.Deployments.RolloutSignal>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentService>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentGate>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentActions>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentUpdateService>();
        services.AddSingleton<Portal.Features.Deployments.DeploymentVersions>();
        services.AddSingleton<Portal.Features.Deployments.DesiredStates>();
        services.AddSingleton<Portal.Features.Deployments.WorkloadReports>();
        services.AddHostedService<Portal.Features.Deployments.RolloutService>();
        services.AddSingleton<Portal.Features.Workloads.LogStreams>();
        services.AddSingleton<Portal.Features.Workloads.WorkloadActions>();
        services.AddHostedService<DeviceLivenessMonitor>();
        services.AddPortalOpenApi();
        services.AddSingleton<Portal.Features.Audit.AuditLog>();
        services.AddSingleton<Portal.Features.Tokens.AccessTokenService>();
        services.AddSingleton<Portal.Features.Audit.AuditQuery>();
        services.AddScoped<Portal.Features.Audit.CircuitClient>();
        services.AddScoped<Portal.Components.Shared.BrowserClock>();
        services.AddSingleton<Portal.Features.Audit.AuditRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<Portal.Features.Audit.AuditRetention>());
        services.AddSingleton<Portal.Features.Models.ArtifactStore>();
        services.AddSingleton<Portal.Features.Models.ArtifactAccess>();
        services.AddSingleton<Portal.Features.Models.ModelRegistry>();
        services.AddSingleton<Portal.Features.Models.ModelSeeder>();
        services.AddSingleton<Portal.Features.Models.ModelPlayground>();
        services.AddSingleton<Portal.Features.Models.ModelProfiles>();
        services.AddSingleton<Portal.Features.Models.InferenceMetricsStore>();
        // A full telemetry batch (500 samples) is about 200 KB in MessagePack; anything far larger is refused.
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 512 * 1024).AddMessagePackProtocol().AddAgentHubGuards().AddAgentClients().AddPortalBackplane(builder.Configuration);
        services.AddSingleton<UserPreferencesService>();
        services.AddSingleton<Portal.Features.Dashboard.DashboardService>();
        services.AddSingleton<Portal.Features.Dashboard.FleetProblemSource>();
        return builder;
    }
}

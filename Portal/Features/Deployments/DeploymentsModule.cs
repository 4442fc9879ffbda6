using Portal.Common;
using Portal.Features.Devices;

namespace Portal.Features.Deployments;

internal static class DeploymentsModule
{
    public static IServiceCollection AddDeployments(this IServiceCollection services)
    {
        services.AddSingleton<IWorkloadDrain, WorkloadDrain>();
        services.AddSingleton<RolloutSignal>();
        services.AddSingleton<ConfigRolloutStepper>();
        services.AddSingleton<Groups.IDeploymentTargetsChanged, DeploymentTargetsChanged>();
        services.AddSingleton<WorkloadSources>();
        services.AddSingleton<DeploymentService>();
        services.AddSingleton<DeploymentGate>();
        services.AddSingleton<DeploymentActions>();
        services.AddSingleton<DeploymentApprovals>();
        services.AddSingleton<DeploymentUpdateService>();
        services.AddSingleton<DeploymentVersions>();
        services.AddSingleton<DesiredStates>();
        services.AddSingleton<WorkloadReports>();
        services.AddHostedService<RolloutService>();
        services.AddHostedService<ConfigChangeFollower>();
        services.AddNotificationKey<DeploymentChanged>(c => c.DeploymentId);
        services.AddNotificationKey<WorkloadsReported>(r => r.DeviceId);
        return services;
    }

    public static IEndpointRouteBuilder MapDeployments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapDeploymentEndpoints();
        endpoints.MapDeploymentUpdateEndpoints();
        endpoints.MapDeploymentCheckEndpoints();
        return endpoints;
    }
}

using Portal.Common;
using Portal.Features.Models.Monitoring;

namespace Portal.Features.Models;

internal static class ModelsModule
{
    public static IServiceCollection AddModels(this IServiceCollection services)
    {
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<ArtifactAccess>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ModelSeeder>();
        services.AddSingleton<ModelPlayground>();
        services.AddSingleton<ModelProfiles>();
        services.AddSingleton<InferenceMetricsStore>();
        services.AddSingleton<ModelMonitoring>();
        services.AddSingleton<BaselineService>();
        services.AddHostedService<DriftRetention>();
        services.AddNotificationKey<DriftMeasured>(d => d.DeviceId);
        services.AddSingleton<Deployments.IWorkloadSource, ModelWorkloadSource>();
        services.AddNotificationKey<ModelChanged>(c => c.ModelId);
        services.AddNotificationKey<InferenceMetricsReported>(r => r.DeviceId);
        return services;
    }

    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder endpoints) => endpoints.MapModelEndpoints().MapDriftEndpoints();
}

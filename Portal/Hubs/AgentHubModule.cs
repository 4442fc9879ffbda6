using Portal.Features.Cluster;
using Portal.Shared.Routes;

namespace Portal.Hubs;

internal static class AgentHubModule
{
    /// <summary>SignalR with the agent hub's guards, who is connected here, and the check that notices silent agents.</summary>
    public static IServiceCollection AddAgentHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DeviceConnectionRegistry>();
        services.AddHostedService<DeviceLivenessMonitor>();
        // A full telemetry batch (500 samples) is about 200 KB in MessagePack; anything far larger is refused.
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 512 * 1024)
            .AddMessagePackProtocol()
            .AddAgentHubGuards()
            .AddAgentClients()
            .AddPortalBackplane(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapAgentHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<AgentHub>(ApiRoutes.AgentHub);
        return endpoints;
    }
}

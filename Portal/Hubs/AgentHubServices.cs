using Microsoft.AspNetCore.SignalR;

namespace Portal.Hubs;

internal static class AgentHubServices
{
    /// <summary>The agent hub's per-device budgets and its throttled rejection log.</summary>
    public static IServiceCollection AddAgentHubGuards(this IServiceCollection services)
    {
        services.AddSingleton<AgentRateLimits>();
        services.AddSingleton<HubRejectionLog>();
        services.AddSingleton<AgentHubGuard>();
        services.Configure<HubOptions<AgentHub>>(o => o.AddFilter<AgentHubGuard>());
        return services;
    }
}

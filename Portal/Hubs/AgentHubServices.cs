using Microsoft.AspNetCore.SignalR;
using Portal.Shared.Hubs;

namespace Portal.Hubs;

internal static class AgentHubServices
{
    /// <summary>The agent hub's per-device budgets, its throttled rejection log, and a dispatcher that leaves refusals to it.</summary>
    public static ISignalRServerBuilder AddAgentHubGuards(this ISignalRServerBuilder builder)
    {
        builder.Services.AddSingleton<AgentRateLimits>();
        builder.Services.AddSingleton<HubRejectionLog>();
        builder.Services.AddSingleton<AgentHubGuard>();
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<HubConnectionHandler<AgentHub>>(
            sp, new QuietRejectionsLoggerFactory(sp.GetRequiredService<ILoggerFactory>())));
        // Hub-specific options start as a copy of the global ones (message size, protocols) plus this filter.
        return builder.AddHubOptions<AgentHub>(o => o.AddFilter<AgentHubGuard>());
    }

    /// <summary>
    /// The agents, as the features below this folder call them: <see cref="IHubClients{T}"/> names no hub class, so
    /// they send to devices without depending on the hub that receives from them.
    /// </summary>
    public static ISignalRServerBuilder AddAgentClients(this ISignalRServerBuilder builder)
    {
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IHubContext<AgentHub, IAgentClient>>().Clients);
        return builder;
    }
}

using Microsoft.AspNetCore.SignalR;

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
}

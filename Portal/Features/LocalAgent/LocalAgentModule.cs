namespace Portal.Features.LocalAgent;

internal static class LocalAgentModule
{
    /// <summary>The agent the portal can host itself (<c>Portal:LocalAgent:Enabled</c>); it decides at start whether to run.</summary>
    public static IServiceCollection AddLocalAgent(this IServiceCollection services)
    {
        services.AddHostedService<LocalAgentHost>();
        return services;
    }
}

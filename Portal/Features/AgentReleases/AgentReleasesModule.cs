namespace Portal.Features.AgentReleases;

internal static class AgentReleasesModule
{
    public static IServiceCollection AddAgentReleases(this IServiceCollection services)
    {
        services.AddSingleton<AgentReleaseService>();
        services.AddSingleton<AgentInstaller>();
        services.AddSingleton<Deployments.IWorkloadSource, AgentReleaseWorkloadSource>();
        return services;
    }

    public static IEndpointRouteBuilder MapAgentReleases(this IEndpointRouteBuilder endpoints) => endpoints.MapAgentReleaseEndpoints();
}

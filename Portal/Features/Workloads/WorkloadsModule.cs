namespace Portal.Features.Workloads;

internal static class WorkloadsModule
{
    public static IServiceCollection AddWorkloads(this IServiceCollection services)
    {
        services.AddSingleton<LogStreams>();
        services.AddSingleton<WorkloadActions>();
        return services;
    }

    public static IEndpointRouteBuilder MapWorkloads(this IEndpointRouteBuilder endpoints) => endpoints.MapWorkloadEndpoints();
}

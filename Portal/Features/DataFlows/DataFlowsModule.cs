namespace Portal.Features.DataFlows;

internal static class DataFlowsModule
{
    public static IServiceCollection AddDataFlows(this IServiceCollection services)
    {
        services.AddSingleton<DataFlowService>();
        services.AddSingleton<Deployments.IWorkloadSource, DataFlowWorkloadSource>();
        return services;
    }

    public static IEndpointRouteBuilder MapDataFlows(this IEndpointRouteBuilder endpoints) => endpoints.MapDataFlowEndpoints();
}

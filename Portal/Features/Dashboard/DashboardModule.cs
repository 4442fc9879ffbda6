namespace Portal.Features.Dashboard;

internal static class DashboardModule
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardService>();
        services.AddSingleton<FleetProblemSource>();
        return services;
    }
}

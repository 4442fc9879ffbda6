using Portal.Common;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

internal static class MarketplaceModule
{
    public static IServiceCollection AddMarketplace(this IServiceCollection services)
    {
        services.AddSingleton<MarketplaceService>();
        services.AddSingleton<AppIconStore>();
        services.AddSingleton<AppIconService>();
        services.AddSingleton<MarketplaceSeeder>();
        services.AddSingleton<Deployments.IWorkloadSource, AppWorkloadSource>();
        services.AddNotificationKey<AppDto>(a => a.Id);
        return services;
    }

    public static IEndpointRouteBuilder MapMarketplace(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMarketplaceEndpoints();
        endpoints.MapAppIconEndpoints();
        return endpoints;
    }
}

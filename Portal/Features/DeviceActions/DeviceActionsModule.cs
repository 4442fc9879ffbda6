using Portal.Common;

namespace Portal.Features.DeviceActions;

internal static class DeviceActionsModule
{
    public static IServiceCollection AddDeviceActions(this IServiceCollection services)
    {
        services.AddSingleton<DeviceActionDelivery>();
        services.AddSingleton<DeviceActionService>();
        services.AddHostedService<DeviceActionSweeper>();
        services.AddNotificationKey<DeviceActionChanged>(e => e.DeviceId);
        return services;
    }

    public static IEndpointRouteBuilder MapDeviceActions(this IEndpointRouteBuilder endpoints) => endpoints.MapDeviceActionEndpoints();
}

using Portal.Common;
using Portal.Shared.Devices;

namespace Portal.Features.Devices;

internal static class DevicesModule
{
    public static IServiceCollection AddDevices(this IServiceCollection services)
    {
        services.AddSingleton<EnrollmentTokenService>();
        services.AddSingleton<EnrollmentService>();
        services.AddSingleton<DeviceService>();
        services.AddSingleton<DeviceDecommission>();
        services.AddSingleton<DeviceEvents>();
        services.AddHostedService<OfflineDetection>();
        services.AddNotificationKey<DeviceEvent>(e => e.DeviceId);
        return services;
    }

    public static IEndpointRouteBuilder MapDevices(this IEndpointRouteBuilder endpoints) => endpoints.MapDeviceEndpoints();
}

using Portal.Common;

namespace Portal.Features.DeviceData;

internal static class DeviceDataModule
{
    /// <summary>Register before anything that sends device data in-process (the local agent), like telemetry.</summary>
    public static IServiceCollection AddDeviceData(this IServiceCollection services)
    {
        services.AddSingleton<DeviceDataWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceDataWriter>());
        services.AddSingleton<DeviceDataService>();
        services.AddSingleton<DeviceDataMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceDataMaintenance>());
        services.AddNotificationKey<DeviceDataReceived>(r => r.DeviceId);
        return services;
    }
}

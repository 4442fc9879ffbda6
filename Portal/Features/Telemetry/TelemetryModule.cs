using Portal.Common;

namespace Portal.Features.Telemetry;

internal static class TelemetryModule
{
    /// <summary>
    /// Register before anything that sends telemetry in-process (the local agent): hosted services stop in reverse
    /// order, so the writer is still there to flush the last batch.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<TelemetryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryWriter>());
        services.AddSingleton<TelemetryService>();
        services.AddSingleton<TelemetryMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryMaintenance>());
        services.AddNotificationKey<TelemetryReceived>(r => r.DeviceId);
        return services;
    }
}

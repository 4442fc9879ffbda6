using Portal.Common;
using Portal.Features.Notifications;

namespace Portal.Features.Alerts;

internal static class AlertsModule
{
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton<AlertSignal>();
        services.AddSingleton<AlertRuleService>();
        services.AddSingleton<IChannelUsers>(sp => sp.GetRequiredService<AlertRuleService>());
        services.AddSingleton<AlertService>();
        services.AddSingleton<SilenceService>();
        services.AddSingleton<AlertEvaluation>();
        services.AddHostedService<AlertEvaluator>();
        services.AddNotificationKey<AlertsChanged>(e => e.DeviceId);
        return services;
    }

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder endpoints) => endpoints.MapAlertEndpoints();
}

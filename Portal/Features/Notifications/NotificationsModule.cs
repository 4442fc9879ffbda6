using System.Net;
using Portal.Common;

namespace Portal.Features.Notifications;

/// <summary>Notification channels, the outbox and its dispatcher. (<c>AddNotifications</c> in Common is the notifier for live pages.)</summary>
internal static class NotificationsModule
{
    public static IServiceCollection AddNotificationChannels(this IServiceCollection services)
    {
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<NotificationChannelService>();
        services.AddSingleton<EventFanOut>();
        services.AddSingleton<DeliveryWorker>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, MqttSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddNotificationKey<OutboxChanged>(e => e.ChannelId);
        services.AddNotificationKey<DeliveryChanged>(e => e.ChannelId);
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false });
        return services;
    }

    public static IEndpointRouteBuilder MapNotificationChannels(this IEndpointRouteBuilder endpoints) => endpoints.MapNotificationChannelEndpoints();
}

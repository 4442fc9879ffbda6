namespace Portal.Common;

internal static class NotificationServiceExtensions
{
    /// <summary>The notifier every feature publishes through; one per message type.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton(typeof(Notifier<>));
        return services;
    }

    /// <summary>Lets pages subscribe to <typeparamref name="T"/> by the key <paramref name="of"/> reads from each message.</summary>
    public static IServiceCollection AddNotificationKey<T>(this IServiceCollection services, Func<T, string?> of)
    {
        services.AddSingleton(new NotificationKey<T>(of));
        return services;
    }
}

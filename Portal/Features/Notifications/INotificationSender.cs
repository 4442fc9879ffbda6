using Portal.Data;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>Sends one delivery through one kind of channel; never throws for the receiver's failures (they are the outcome).</summary>
public interface INotificationSender
{
    ChannelKind Kind { get; }

    /// <param name="body">The JSON to post or publish: the delivery's payload with its id.</param>
    /// <param name="secret">The channel's secret in plain text (webhook key, MQTT password), if it has one.</param>
    Task<SendOutcome> SendAsync(NotificationChannel channel, NotificationDelivery delivery, byte[] body, string? secret, CancellationToken ct);
}

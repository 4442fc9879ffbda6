using Portal.Data;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>What one notification says: an e-mail's subject and text, and the JSON a webhook posts and MQTT publishes.</summary>
public sealed record NotificationContent(string EventType, string Subject, string Text, string Payload);

/// <summary>
/// Queues notifications in the caller's context (saved with the change that caused them). A (channel, source) pair is
/// unique in the table: a caller repeating itself after a restart gets a unique-key failure, never a second message.
/// </summary>
public static class NotificationOutbox
{
    public static void Enqueue(PortalDbContext db, IEnumerable<string> channelIds, string sourceKey, NotificationContent content, DateTimeOffset now)
    {
        foreach (var channelId in channelIds.Distinct(StringComparer.Ordinal))
        {
            db.NotificationDeliveries.Add(new NotificationDelivery
            {
                ChannelId = channelId,
                SourceKey = sourceKey,
                EventType = content.EventType,
                Subject = Cut(content.Subject, 300),
                Text = Cut(content.Text, 8000),
                Payload = content.Payload.Length > 16000 ? "{}" : content.Payload,
                State = DeliveryState.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }
    }

    private static string Cut(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;
}

using Portal.Shared.Notifications;

namespace Portal.Data;

/// <summary>
/// One notification for one channel: the outbox row. Unique by (<see cref="ChannelId"/>, <see cref="SourceKey"/>), so
/// an evaluation repeated after a restart, or by a second instance, cannot queue it twice. Sent at least once; its id
/// travels with it (<c>X-Portal-Delivery</c>, the MQTT payload, the e-mail's Message-Id) so receivers can drop repeats.
/// </summary>
public sealed class NotificationDelivery
{
    public long Id { get; set; }

    public required string ChannelId { get; set; }

    /// <summary>What caused it: <c>event:{id}</c>, <c>alert:{id}:Firing</c>, <c>alert:{id}:Resolved</c>, <c>test:{guid}</c>.</summary>
    public required string SourceKey { get; set; }

    /// <summary>The event type it carries (<see cref="FleetEventTypes"/>): the webhook's <c>X-Portal-Event</c>.</summary>
    public required string EventType { get; set; }

    /// <summary>An e-mail's subject line; a title elsewhere.</summary>
    public required string Subject { get; set; }

    /// <summary>The plain-text body of an e-mail.</summary>
    public string Text { get; set; } = "";

    /// <summary>The JSON a webhook posts and MQTT publishes.</summary>
    public string Payload { get; set; } = "{}";

    public DeliveryState State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>While Sending: after this another instance may take it over (the sender died).</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<NotificationAttempt> AttemptLog { get; set; } = [];
}

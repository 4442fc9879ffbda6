using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Notifications;

/// <summary>How a channel delivers: an e-mail through the portal's SMTP server, a signed JSON POST, or an MQTT publish.</summary>
[JsonConverter(typeof(EnumNameConverter<ChannelKind>))]
public enum ChannelKind
{
    Email,
    Webhook,
    Mqtt,
}

/// <summary>
/// Where one notification stands on one channel. Pending: waiting for its (next) attempt; Sending: an instance is on it;
/// Succeeded; Failed: refused for good (a 4xx answer, a bad address) or out of attempts.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<DeliveryState>))]
public enum DeliveryState
{
    Pending,
    Sending,
    Succeeded,
    Failed,
}

/// <summary>The MQTT broker and topic a channel publishes to (QoS 1). The password is a secret: set, never shown.</summary>
public sealed record MqttTarget(string Host, int Port, string Topic, bool UseTls = false, string? UserName = null);

/// <summary>
/// A notification channel. Alert rules choose channels; <see cref="EventTypes"/> subscribes the channel to fleet events
/// (<see cref="FleetEventTypes"/>) as well. <see cref="HasSecret"/>: a webhook's signing secret or an MQTT password is set.
/// </summary>
public sealed record NotificationChannelDto(
    string Id,
    string Name,
    ChannelKind Kind,
    bool Enabled,
    IReadOnlyList<string> EmailTo,
    string? WebhookUrl,
    MqttTarget? Mqtt,
    IReadOnlyList<string> EventTypes,
    bool HasSecret,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Creates or changes a channel. Email needs <see cref="EmailTo"/> (1-20 addresses); Webhook an http(s)
/// <see cref="WebhookUrl"/> (<see cref="WebhookSecret"/> empty: one is generated and shown once); Mqtt <see cref="Mqtt"/>
/// (<see cref="MqttPassword"/> null on a change keeps the one set).
/// </summary>
public sealed record SaveNotificationChannelRequest(
    string Name,
    ChannelKind Kind,
    bool Enabled = true,
    IReadOnlyList<string>? EmailTo = null,
    string? WebhookUrl = null,
    MqttTarget? Mqtt = null,
    IReadOnlyList<string>? EventTypes = null,
    string? WebhookSecret = null,
    string? MqttPassword = null)
{
    public static SaveNotificationChannelRequest Email(string name, params string[] to) => new(name, ChannelKind.Email, EmailTo: to);

    public static SaveNotificationChannelRequest Webhook(string name, string url, params string[] eventTypes) =>
        new(name, ChannelKind.Webhook, WebhookUrl: url, EventTypes: eventTypes);
}

/// <summary>A created channel, or one whose secret was renewed: <see cref="Secret"/> is a webhook's signing secret, shown this once (null for other kinds).</summary>
public sealed record CreatedNotificationChannel(NotificationChannelDto Channel, string? Secret);

/// <summary>One try at delivering: when, how long, the HTTP status where there was one, and what went wrong.</summary>
public sealed record DeliveryAttemptDto(DateTimeOffset At, int DurationMs, int? StatusCode, string? Error);

/// <summary>One notification on one channel, with its attempts, newest first in the log.</summary>
public sealed record DeliveryDto(
    long Id,
    string ChannelId,
    string Source,
    string Subject,
    DeliveryState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FinishedAt,
    string? LastError,
    IReadOnlyList<DeliveryAttemptDto> AttemptLog);

using Portal.Shared.Notifications;

namespace Portal.Data;

/// <summary>Where notifications go: an e-mail list, a webhook or an MQTT topic. The secret (webhook key, MQTT password) is encrypted at rest.</summary>
public sealed class NotificationChannel
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public ChannelKind Kind { get; set; }

    public bool Enabled { get; set; } = true;

    public List<string> EmailTo { get; set; } = [];

    public string? WebhookUrl { get; set; }

    public MqttTarget? Mqtt { get; set; }

    /// <summary>Data Protection's ciphertext of the webhook's signing secret or the MQTT password; null when none.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>The fleet events this channel is sent (<see cref="FleetEventTypes"/>); empty: alerts only.</summary>
    public List<string> EventTypes { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

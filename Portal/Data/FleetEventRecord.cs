namespace Portal.Data;

/// <summary>
/// Something that happened in the fleet that automation may want to hear of (a deployment finished, a device went
/// offline). Written in the same transaction as the change it describes; the notification dispatcher fans it out to the
/// subscribed channels once, then marks it.
/// </summary>
public sealed class FleetEventRecord
{
    public long Id { get; set; }

    /// <summary>One of <see cref="Portal.Shared.Notifications.FleetEventTypes"/>.</summary>
    public required string Type { get; set; }

    /// <summary><c>kind:id</c> of what it is about (<c>device:…</c>, <c>deployment:…</c>, <c>model:…</c>).</summary>
    public required string Subject { get; set; }

    public string SubjectName { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>The event's facts as a JSON object (sent as the payload's <c>data</c>).</summary>
    public string Data { get; set; } = "{}";

    /// <summary>When it was turned into deliveries; null until then.</summary>
    public DateTimeOffset? FannedOutAt { get; set; }
}

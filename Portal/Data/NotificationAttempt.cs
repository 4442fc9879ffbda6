namespace Portal.Data;

/// <summary>One try at sending a delivery: the delivery log shows these.</summary>
public sealed class NotificationAttempt
{
    public long Id { get; set; }

    public long DeliveryId { get; set; }

    public DateTimeOffset At { get; set; }

    public int DurationMs { get; set; }

    public int? StatusCode { get; set; }

    public string? Error { get; set; }
}

namespace Portal.Features.Notifications;

/// <summary>A delivery of this channel was queued or tried (for the live delivery log; the dispatcher listens to <see cref="OutboxChanged"/> instead).</summary>
public sealed record DeliveryChanged(string ChannelId);

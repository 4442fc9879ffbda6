namespace Portal.Features.Notifications;

/// <summary>Published when deliveries or fleet events were written, so the dispatcher (on whichever instance holds its lease) looks now rather than at its next tick.</summary>
public sealed record OutboxChanged(string? ChannelId);

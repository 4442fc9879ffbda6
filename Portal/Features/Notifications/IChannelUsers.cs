namespace Portal.Features.Notifications;

/// <summary>Something above Notifications that sends through channels (alert rules): a channel it uses cannot be deleted.</summary>
public interface IChannelUsers
{
    /// <summary>Names of what uses the channel, to put in the refusal (empty: nothing).</summary>
    Task<IReadOnlyList<string>> UsersOfAsync(string channelId, CancellationToken ct);
}

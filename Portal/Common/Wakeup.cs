using System.Threading.Channels;

namespace Portal.Common;

/// <summary>
/// Wakes a background loop now instead of at its next tick. Wakes while it works are kept as one, so a burst of news
/// costs one extra pass, never a queue of them.
/// </summary>
public class Wakeup
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => channel.Writer.TryWrite(true);

    /// <summary>True when woken, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(timeout, TimeProvider.System, cancellationToken);

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first on <paramref name="clock"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var tick = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, cancellationToken);
        try
        {
            await channel.Reader.ReadAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

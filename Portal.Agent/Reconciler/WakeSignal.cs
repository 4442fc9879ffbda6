using System.Threading.Channels;

namespace Portal.Agent.Reconciler;

/// <summary>A loop's "look again now": any number of wakes before the loop waits count as one.</summary>
public sealed class WakeSignal
{
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => wake.Writer.TryWrite(true);

    /// <summary>Returns when woken or when <paramref name="interval"/> has passed; throws only when stopping.</summary>
    public async Task WaitAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(interval);
        try
        {
            await wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }
}

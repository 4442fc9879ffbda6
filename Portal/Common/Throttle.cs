namespace Portal.Common;

/// <summary>
/// Coalesces bursts of notifications: however many calls arrive, <paramref name="action"/> runs at most once per
/// <paramref name="interval"/>, after it.
/// </summary>
public sealed class Throttle(TimeSpan interval, Func<Task> action)
{
    private int pending;

    public async Task RunAsync()
    {
        if (Interlocked.Exchange(ref pending, 1) == 1)
        {
            return;
        }

        await Task.Delay(interval);
        Interlocked.Exchange(ref pending, 0);
        await action();
    }
}

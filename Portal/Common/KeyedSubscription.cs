namespace Portal.Common;

/// <summary>
/// A page's subscription to one key (the device or deployment it shows) that moves when the page's parameter does:
/// Blazor reuses a page navigated from one device to another, and it must then hear the new device only.
/// </summary>
public sealed class KeyedSubscription(Func<string, IDisposable> subscribe) : IDisposable
{
    private readonly Lock gate = new();
    private string? key;
    private IDisposable? current;
    private bool disposed;

    /// <summary>Listens to <paramref name="newKey"/> from now on (nothing while it is null); the same key again changes nothing.</summary>
    public void Follow(string? newKey)
    {
        lock (gate)
        {
            // A page's parameters may still be set after it is gone; it must not subscribe again then.
            if (newKey == key || disposed)
            {
                return;
            }

            current?.Dispose();
            key = newKey;
            current = newKey is null ? null : subscribe(newKey);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            Follow(null);
            disposed = true;
        }
    }
}

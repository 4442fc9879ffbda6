using System.Collections.Concurrent;

namespace Portal.Common;

/// <summary>
/// The in-process notifier live pages use: subscribe after first render, dispose when gone. A slow or failing
/// subscriber never holds up the publisher (the hub, the writer).
/// </summary>
public sealed partial class Notifier<T>(ILogger<Notifier<T>> logger)
{
    private readonly ConcurrentDictionary<Guid, Func<T, Task>> subscribers = new();

    public IDisposable Subscribe(Func<T, Task> handler)
    {
        var id = Guid.NewGuid();
        subscribers[id] = handler;
        return new Subscription(() => subscribers.TryRemove(id, out _));
    }

    public void Publish(T message)
    {
        foreach (var handler in subscribers.Values)
        {
            _ = DeliverAsync(handler, message);
        }
    }

    private async Task DeliverAsync(Func<T, Task> handler, T message)
    {
        try
        {
            await handler(message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriberFailed(logger, typeof(T).Name, ex);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber to {Message} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, string message, Exception exception);
}

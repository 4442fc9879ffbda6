using System.Collections.Concurrent;
using System.Text.Json;

namespace Portal.Common;

/// <summary>
/// The notifier live pages use: subscribe after first render, dispose when gone. A slow or failing subscriber never
/// holds up the publisher (the hub, the writer). With several portal instances (<c>ConnectionStrings:Redis</c>) what
/// one instance publishes reaches the subscribers of every instance, so a page shows what an agent connected
/// elsewhere reports.
/// </summary>
public sealed partial class Notifier<T> : IDisposable
{
    private static readonly string Topic = "notify:" + typeof(T).Name;
    private readonly ConcurrentDictionary<Guid, Func<T, Task>> subscribers = new();
    private readonly ILogger<Notifier<T>> logger;
    private readonly IClusterBus bus;
    private readonly IDisposable remote;

    public Notifier(ILogger<Notifier<T>> logger, IClusterBus bus)
    {
        this.logger = logger;
        this.bus = bus;
        remote = bus.Subscribe(Topic, FromOtherInstance);
    }

    public IDisposable Subscribe(Func<T, Task> handler)
    {
        var id = Guid.NewGuid();
        subscribers[id] = handler;
        return new Subscription(() => subscribers.TryRemove(id, out _));
    }

    /// <summary>Tells this instance's subscribers, and the other instances'.</summary>
    public void Publish(T message)
    {
        DeliverHere(message);
        if (bus.IsShared)
        {
            bus.Publish(Topic, JsonSerializer.Serialize(message, JsonSerializerOptions.Web));
        }
    }

    public void Dispose() => remote.Dispose();

    private void FromOtherInstance(string payload)
    {
        if (JsonSerializer.Deserialize<T>(payload, JsonSerializerOptions.Web) is { } message)
        {
            DeliverHere(message);
        }
    }

    private void DeliverHere(T message)
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

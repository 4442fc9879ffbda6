using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;

namespace Portal.Common;

/// <summary>
/// The notifier live pages use: subscribe after first render, dispose when gone. A slow or failing subscriber never
/// holds up the publisher (the hub, the writer). With several portal instances (<c>ConnectionStrings:Redis</c>) what
/// one instance publishes reaches the subscribers of every instance, so a page shows what an agent connected
/// elsewhere reports.
/// </summary>
/// <remarks>
/// A page about one thing (a device, a deployment) subscribes by its key and is handed only that thing's messages:
/// found by one dictionary lookup, so a thousand open device pages do not each look at every telemetry batch. The key
/// is read from the message by the <see cref="NotificationKey{T}"/> its feature registers; lists and the dashboard
/// subscribe without a key and get everything.
/// </remarks>
public sealed partial class Notifier<T> : IDisposable
{
    private static readonly string Topic = "notify:" + typeof(T).Name;
    private readonly ConcurrentDictionary<Subscriber, byte> everything = new();
    private readonly ConcurrentDictionary<string, ImmutableArray<Subscriber>> byKey = new(StringComparer.Ordinal);
    private readonly Lock keyedGate = new();
    private readonly NotificationKey<T>? key;
    private readonly ILogger<Notifier<T>> logger;
    private readonly IClusterBus bus;
    private readonly IDisposable remote;

    public Notifier(ILogger<Notifier<T>> logger, IClusterBus bus, IEnumerable<NotificationKey<T>> keys)
    {
        this.logger = logger;
        this.bus = bus;
        key = keys.LastOrDefault();
        remote = bus.Subscribe(Topic, FromOtherInstance);
    }

    /// <summary>Every message of this type, whatever it is about.</summary>
    public IDisposable Subscribe(Func<T, Task> handler)
    {
        var subscriber = new Subscriber(handler);
        everything[subscriber] = 0;
        return new Subscription(() => everything.TryRemove(subscriber, out _));
    }

    /// <summary>Only the messages whose key (a device's or a deployment's id, say) is <paramref name="messageKey"/>.</summary>
    public IDisposable Subscribe(string messageKey, Func<T, Task> handler)
    {
        if (key is null)
        {
            throw new InvalidOperationException($"{typeof(T).Name} has no key: register one with AddNotificationKey<{typeof(T).Name}>() in its feature's module.");
        }

        var subscriber = new Subscriber(handler);
        lock (keyedGate)
        {
            byKey[messageKey] = byKey.TryGetValue(messageKey, out var others) ? others.Add(subscriber) : [subscriber];
        }

        return new Subscription(() => Unsubscribe(messageKey, subscriber));
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

    private void Unsubscribe(string messageKey, Subscriber subscriber)
    {
        lock (keyedGate)
        {
            if (!byKey.TryGetValue(messageKey, out var subscribers))
            {
                return;
            }

            var rest = subscribers.Remove(subscriber);
            if (rest.IsEmpty)
            {
                // Keys come and go with pages; an empty entry per device ever viewed would only grow.
                byKey.TryRemove(messageKey, out _);
            }
            else
            {
                byKey[messageKey] = rest;
            }
        }
    }

    // The key is read again from the deserialized message, so keyed pages on every instance get what they asked for.
    private void FromOtherInstance(string payload)
    {
        if (JsonSerializer.Deserialize<T>(payload, JsonSerializerOptions.Web) is { } message)
        {
            DeliverHere(message);
        }
    }

    private void DeliverHere(T message)
    {
        foreach (var subscriber in everything.Keys)
        {
            _ = DeliverAsync(subscriber, message);
        }

        if (key?.Of(message) is { } messageKey && byKey.TryGetValue(messageKey, out var keyed))
        {
            foreach (var subscriber in keyed)
            {
                _ = DeliverAsync(subscriber, message);
            }
        }
    }

    private async Task DeliverAsync(Subscriber subscriber, T message)
    {
        try
        {
            await subscriber.Handler(message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriberFailed(logger, typeof(T).Name, ex);
        }
    }

    // A reference per subscription, so two pages subscribing the same method each keep (and remove) their own.
    private sealed class Subscriber(Func<T, Task> handler)
    {
        public Func<T, Task> Handler { get; } = handler;
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber to {Message} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, string message, Exception exception);
}

using Microsoft.Extensions.Logging.Abstractions;
using Portal.Common;
using Portal.Features.Cluster;

namespace Portal.Tests.Common;

public sealed class NotifierTests
{
    private static readonly NotificationKey<Reading> ByDevice = new(r => r.DeviceId);

    [Fact]
    public void Publish_KeyedSubscriber_ReceivesOnlyItsKeysMessages()
    {
        using var notifier = Create(new LocalClusterBus());
        var heard = new List<Reading>();
        using var _ = notifier.Subscribe("d1", Record(heard));

        notifier.Publish(new Reading("d1", 1));
        notifier.Publish(new Reading("d2", 2));
        notifier.Publish(new Reading("d1", 3));

        Assert.Equal([1, 3], heard.Select(r => r.Value));
    }

    [Fact]
    public void Publish_UnkeyedSubscriber_ReceivesEveryMessage()
    {
        using var notifier = Create(new LocalClusterBus());
        var everything = new List<Reading>();
        var d2 = new List<Reading>();
        using var all = notifier.Subscribe(Record(everything));
        using var one = notifier.Subscribe("d2", Record(d2));

        notifier.Publish(new Reading("d1", 1));
        notifier.Publish(new Reading("d2", 2));

        Assert.Equal([1, 2], everything.Select(r => r.Value));
        Assert.Equal([2], d2.Select(r => r.Value));
    }

    [Fact]
    public void Dispose_KeyedAndUnkeyedSubscriptions_StopDeliveryToThoseOnly()
    {
        using var notifier = Create(new LocalClusterBus());
        var (first, second, all) = (new List<Reading>(), new List<Reading>(), new List<Reading>());
        var firstSubscription = notifier.Subscribe("d1", Record(first));
        using var secondSubscription = notifier.Subscribe("d1", Record(second));
        var allSubscription = notifier.Subscribe(Record(all));

        notifier.Publish(new Reading("d1", 1));
        firstSubscription.Dispose();
        allSubscription.Dispose();
        notifier.Publish(new Reading("d1", 2));
        firstSubscription.Dispose();

        Assert.Equal([1], first.Select(r => r.Value));
        Assert.Equal([1, 2], second.Select(r => r.Value));
        Assert.Equal([1], all.Select(r => r.Value));
    }

    [Fact]
    public void Publish_OneSubscriberThrows_OthersStillReceive()
    {
        using var notifier = Create(new LocalClusterBus());
        var keyed = new List<Reading>();
        var all = new List<Reading>();
        using var failingKeyed = notifier.Subscribe("d1", _ => throw new InvalidOperationException("broken page"));
        using var failingAll = notifier.Subscribe(_ => Task.FromException(new InvalidOperationException("broken list")));
        using var one = notifier.Subscribe("d1", Record(keyed));
        using var every = notifier.Subscribe(Record(all));

        notifier.Publish(new Reading("d1", 1));

        Assert.Equal([1], keyed.Select(r => r.Value));
        Assert.Equal([1], all.Select(r => r.Value));
    }

    [Fact]
    public void Publish_OnAnotherInstance_ReachesThisInstancesKeyedSubscribersByKey()
    {
        var (busA, busB) = PairedBus.Create();
        using var here = Create(busA);
        using var elsewhere = Create(busB);
        var d1 = new List<Reading>();
        var all = new List<Reading>();
        using var keyed = here.Subscribe("d1", Record(d1));
        using var every = here.Subscribe(Record(all));

        elsewhere.Publish(new Reading("d2", 1));
        elsewhere.Publish(new Reading("d1", 2));

        Assert.Equal([2], d1.Select(r => r.Value));
        Assert.Equal([1, 2], all.Select(r => r.Value));
    }

    [Fact]
    public void SubscribeByKey_MessageTypeWithoutKey_SaysHowToRegisterOne()
    {
        using var notifier = new Notifier<Reading>(NullLogger<Notifier<Reading>>.Instance, new LocalClusterBus(), []);

        var refused = Assert.Throws<InvalidOperationException>(() => notifier.Subscribe("d1", _ => Task.CompletedTask));

        Assert.Contains("AddNotificationKey<Reading>", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyedSubscription_Follow_MovesToTheNewKeyAndDisposeStops()
    {
        using var notifier = Create(new LocalClusterBus());
        var heard = new List<Reading>();
        var subscription = new KeyedSubscription(key => notifier.Subscribe(key, Record(heard)));

        subscription.Follow("d1");
        notifier.Publish(new Reading("d1", 1));
        subscription.Follow("d1");
        subscription.Follow("d2");
        notifier.Publish(new Reading("d1", 2));
        notifier.Publish(new Reading("d2", 3));
        subscription.Dispose();
        subscription.Follow("d2");
        notifier.Publish(new Reading("d2", 4));

        Assert.Equal([1, 3], heard.Select(r => r.Value));
    }

    private static Notifier<Reading> Create(IClusterBus bus) => new(NullLogger<Notifier<Reading>>.Instance, bus, [ByDevice]);

    private static Func<Reading, Task> Record(List<Reading> heard) => reading =>
    {
        lock (heard)
        {
            heard.Add(reading);
        }

        return Task.CompletedTask;
    };

    public sealed record Reading(string DeviceId, int Value);

    /// <summary>Two instances' buses joined, as Redis joins them: what one publishes the other hears, at once.</summary>
    private sealed class PairedBus : IClusterBus
    {
        private readonly Dictionary<string, Action<string>> handlers = [];
        private PairedBus? other;

        public bool IsShared => true;

        public static (PairedBus, PairedBus) Create()
        {
            var (a, b) = (new PairedBus(), new PairedBus());
            (a.other, b.other) = (b, a);
            return (a, b);
        }

        public void Publish(string topic, string payload)
        {
            if (other!.handlers.TryGetValue(topic, out var handler))
            {
                handler(payload);
            }
        }

        public IDisposable Subscribe(string topic, Action<string> handler)
        {
            handlers[topic] = handler;
            return new Unsubscribe(() => handlers.Remove(topic));
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}

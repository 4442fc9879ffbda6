using System.Collections.Concurrent;
using Portal.Common;
using StackExchange.Redis;

namespace Portal.Features.Cluster;

/// <summary>
/// Redis pub/sub between instances: one channel per topic (<c>portal:bus:&lt;topic&gt;</c>); each message starts with
/// the sender's instance id, so an instance skips its own. Publishing never waits for Redis; while Redis is away the
/// instances keep working alone, and pages elsewhere miss live updates until it is back (they reload on navigation).
/// </summary>
public sealed partial class RedisClusterBus : IClusterBus, IDisposable
{
    private const char Separator = '\n';
    private readonly ConnectionMultiplexer redis;
    private readonly string me;
    private readonly ILogger<RedisClusterBus> logger;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Action<string>>> handlers = new(StringComparer.Ordinal);

    public RedisClusterBus(string configuration, PortalInstanceIdentity instance, ILogger<RedisClusterBus> logger)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName = $"portal-bus-{instance.Id}";
        redis = ConnectionMultiplexer.Connect(options);
        me = instance.Id;
        this.logger = logger;
    }

    public bool IsShared => true;

    public void Publish(string topic, string payload)
    {
        try
        {
            redis.GetSubscriber().Publish(Channel(topic), me + Separator + payload, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            LogPublishFailed(logger, topic, ex.Message);
        }
    }

    public IDisposable Subscribe(string topic, Action<string> handler)
    {
        var id = Guid.NewGuid();
        var topicHandlers = handlers.GetOrAdd(topic, t =>
        {
            var list = new ConcurrentDictionary<Guid, Action<string>>();
            // Ordered delivery per channel: log lines and telemetry arrive in the order they were sent.
            redis.GetSubscriber().Subscribe(Channel(t)).OnMessage(message => Deliver(t, message.Message, list));
            return list;
        });
        topicHandlers[id] = handler;
        return new Subscription(() => topicHandlers.TryRemove(id, out _));
    }

    public void Dispose() => redis.Dispose();

    private void Deliver(string topic, RedisValue message, ConcurrentDictionary<Guid, Action<string>> list)
    {
        var text = (string?)message ?? string.Empty;
        var split = text.IndexOf(Separator, StringComparison.Ordinal);
        if (split < 0 || text.AsSpan(0, split).SequenceEqual(me))
        {
            return;
        }

        var payload = text[(split + 1)..];
        foreach (var handler in list.Values)
        {
            try
            {
                handler(payload);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogHandlerFailed(logger, topic, ex);
            }
        }
    }

    private static RedisChannel Channel(string topic) => RedisChannel.Literal("portal:bus:" + topic);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Topic} to the other instances: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A handler of {Topic} from another instance failed")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, Exception exception);
}

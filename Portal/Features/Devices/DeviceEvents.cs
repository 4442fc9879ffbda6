using System.Collections.Concurrent;
using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>Something that happened to a device, for live pages.</summary>
public sealed record DeviceEvent(string DeviceId, string DeviceName, DeviceStatus Status, string What, DateTimeOffset At);

/// <summary>
/// The in-process notifier: pages subscribe after first render and dispose the subscription when they go away.
/// A slow or failing subscriber never holds up the hub.
/// </summary>
public sealed partial class DeviceEvents(ILogger<DeviceEvents> logger)
{
    private const int Kept = 50;
    private readonly ConcurrentDictionary<Guid, Func<DeviceEvent, Task>> subscribers = new();
    private readonly ConcurrentQueue<DeviceEvent> recent = new();

    /// <summary>The latest events since this portal started, newest first (the dashboard's feed).</summary>
    public IReadOnlyList<DeviceEvent> Recent => recent.Reverse().ToList();

    public IDisposable Subscribe(Func<DeviceEvent, Task> handler)
    {
        var id = Guid.NewGuid();
        subscribers[id] = handler;
        return new Subscription(() => subscribers.TryRemove(id, out _));
    }

    public void Publish(DeviceEvent deviceEvent)
    {
        recent.Enqueue(deviceEvent);
        while (recent.Count > Kept && recent.TryDequeue(out _))
        {
        }

        foreach (var handler in subscribers.Values)
        {
            _ = DeliverAsync(handler, deviceEvent);
        }
    }

    private async Task DeliverAsync(Func<DeviceEvent, Task> handler, DeviceEvent deviceEvent)
    {
        try
        {
            await handler(deviceEvent);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriberFailed(logger, ex);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A device event subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}

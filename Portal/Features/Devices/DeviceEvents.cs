using System.Collections.Concurrent;
using Portal.Common;
using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>Something that happened to a device, for live pages.</summary>
public sealed record DeviceEvent(string DeviceId, string DeviceName, DeviceStatus Status, string What, DateTimeOffset At);

/// <summary>Device events for live pages, and the latest ones since start for the dashboard's feed.</summary>
public sealed class DeviceEvents(Notifier<DeviceEvent> notifier)
{
    private const int Kept = 50;
    private readonly ConcurrentQueue<DeviceEvent> recent = new();

    /// <summary>The latest events since this portal started, newest first.</summary>
    public IReadOnlyList<DeviceEvent> Recent => recent.Reverse().ToList();

    public IDisposable Subscribe(Func<DeviceEvent, Task> handler) => notifier.Subscribe(handler);

    public void Publish(DeviceEvent deviceEvent)
    {
        recent.Enqueue(deviceEvent);
        while (recent.Count > Kept && recent.TryDequeue(out _))
        {
        }

        notifier.Publish(deviceEvent);
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Notifications;
using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>
/// Device events: kept in each device's history, pushed to live pages, and the latest ones since start held for the
/// dashboard's feed (from every instance of a cluster: the feed keeps what the notifier delivers).
/// </summary>
public sealed class DeviceEvents : IDisposable
{
    private const int Kept = 50;
    private readonly ConcurrentQueue<DeviceEvent> recent = new();
    private readonly Notifier<DeviceEvent> notifier;
    private readonly IDbContextFactory<PortalDbContext> dbFactory;
    private readonly IDisposable feed;

    public DeviceEvents(Notifier<DeviceEvent> notifier, IDbContextFactory<PortalDbContext> dbFactory)
    {
        this.notifier = notifier;
        this.dbFactory = dbFactory;
        feed = notifier.Subscribe(deviceEvent =>
        {
            recent.Enqueue(deviceEvent);
            while (recent.Count > Kept && recent.TryDequeue(out _))
            {
            }

            return Task.CompletedTask;
        });
    }

    public void Dispose() => feed.Dispose();

    /// <summary>The latest events since this portal started, newest first.</summary>
    public IReadOnlyList<DeviceEvent> Recent => recent.Reverse().ToList();

    public IDisposable Subscribe(Func<DeviceEvent, Task> handler) => notifier.Subscribe(handler);

    /// <summary>One device's events only.</summary>
    public IDisposable Subscribe(string deviceId, Func<DeviceEvent, Task> handler) => notifier.Subscribe(deviceId, handler);

    /// <summary>Records the event in the device's history, then tells live pages.</summary>
    public Task RecordAsync(DeviceEvent deviceEvent, CancellationToken cancellationToken = default) => RecordAsync(deviceEvent, null, cancellationToken);

    /// <summary>Records the event, and with it (in one transaction) the fleet event <paramref name="fleetEvent"/> when given, then tells live pages.</summary>
    public async Task RecordAsync(DeviceEvent deviceEvent, string? fleetEvent, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.DeviceHistory.Add(new DeviceHistoryEntry { DeviceId = deviceEvent.DeviceId, At = deviceEvent.At, Status = deviceEvent.Status, What = deviceEvent.What });
        if (fleetEvent is not null)
        {
            FleetEvents.Add(db, fleetEvent, $"device:{deviceEvent.DeviceId}", deviceEvent.DeviceName,
                new JsonObject { ["status"] = deviceEvent.Status.ToString(), ["what"] = deviceEvent.What }, deviceEvent.At);
        }

        await db.SaveChangesAsync(cancellationToken);
        Publish(deviceEvent);
    }

    public async Task<IReadOnlyList<DeviceEvent>> HistoryAsync(string deviceId, string deviceName, int count, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = await db.DeviceHistory.AsNoTracking().Where(e => e.DeviceId == deviceId)
            .OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);
        return entries.Select(e => new DeviceEvent(e.DeviceId, deviceName, e.Status, e.What, e.At)).ToList();
    }

    /// <summary>Tells live pages without recording (passing news, such as a fresh inventory).</summary>
    public void Publish(DeviceEvent deviceEvent) => notifier.Publish(deviceEvent);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Shared.Devices;
using Portal.Shared.Notifications;

namespace Portal.Features.Devices;

/// <summary>
/// Under the <see cref="LeaseNames.OfflineDetection"/> lease, every 5 s: an instance that stopped stamping its row
/// (killed, frozen, cut off) has its devices marked Offline, with an entry in each device's history, until they
/// reconnect to a live instance. (Devices that merely stop heartbeating are closed by the instance holding their
/// connection: the hub's DeviceLivenessMonitor.)
/// </summary>
public sealed partial class OfflineDetection(
    IDbContextFactory<PortalDbContext> dbFactory,
    Leases leases,
    DeviceEvents events,
    Notifier<PresenceChanged> presence,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock,
    ILogger<OfflineDetection> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(InstanceHeartbeat.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await leases.TryHoldAsync(LeaseNames.OfflineDetection, stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    /// <summary>Marks the devices of dead instances Offline; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var aliveSince = InstanceHeartbeat.AliveSince(clock, options.CurrentValue);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var alive = db.Instances.Where(i => i.SeenAt >= aliveSince).Select(i => i.Id);
        var orphans = await db.Devices
            .Where(d => d.ConnectedInstance != null && !alive.Contains(d.ConnectedInstance))
            .Select(d => new { d.Id, d.Name, d.ConnectedInstance, d.ConnectionId })
            .ToListAsync(cancellationToken);
        foreach (var device in orphans)
        {
            // Only if it is still where it was: it may have reconnected to a live instance meanwhile.
            var cleared = await db.Devices.Where(d => d.Id == device.Id && d.ConnectionId == device.ConnectionId).ForgetConnectionsAsync(cancellationToken);
            if (cleared == 0)
            {
                continue;
            }

            presence.Publish(new PresenceChanged(device.Id, device.ConnectedInstance!, device.ConnectionId, Online: false));
            await events.RecordAsync(new DeviceEvent(device.Id, device.Name, DeviceStatus.Offline,
                $"went offline (portal instance {device.ConnectedInstance} stopped answering)", clock.GetUtcNow()), FleetEventTypes.DeviceOffline, cancellationToken);
        }

        await db.Instances.Where(i => i.SeenAt < aliveSince).ExecuteDeleteAsync(cancellationToken);
        if (orphans.Count > 0)
        {
            LogOrphans(logger, orphans.Count);
        }

        return orphans.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} devices were connected to portal instances that stopped answering; they are Offline until they reconnect")]
    private static partial void LogOrphans(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Offline detection failed; it is tried again in 5 s")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;

namespace Portal.Features.Cluster;

/// <summary>
/// Which devices are online anywhere in the cluster: the ones connected here (the <see cref="DeviceConnectionRegistry"/>)
/// and the ones connected to other instances, learnt from their <see cref="PresenceChanged"/> news and, as a safety
/// net for news lost while Redis was away, re-read from the devices' rows every few seconds. One copy per instance,
/// shared by every page and service: nothing is copied per circuit.
/// </summary>
public sealed class FleetPresence : IDisposable
{
    private readonly DeviceConnectionRegistry local;
    private readonly PortalInstanceIdentity instance;
    private readonly ConcurrentDictionary<string, string?> elsewhere = new(StringComparer.Ordinal);
    private readonly IDisposable presenceSubscription;
    private readonly IDisposable disconnectSubscription;

    public FleetPresence(DeviceConnectionRegistry local, PortalInstanceIdentity instance, Notifier<PresenceChanged> presence, Notifier<DisconnectRequested> disconnects)
    {
        this.local = local;
        this.instance = instance;
        presenceSubscription = presence.Subscribe(OnPresence);
        disconnectSubscription = disconnects.Subscribe(request =>
        {
            local.Abort(request.DeviceId);
            return Task.CompletedTask;
        });
    }

    public bool IsOnline(string deviceId) => local.IsOnline(deviceId) || elsewhere.ContainsKey(deviceId);

    /// <summary>The device's connection, here or on another instance (client results cross instances through Redis).</summary>
    public string? ConnectionIdOf(string deviceId) => local.ConnectionIdOf(deviceId) ?? elsewhere.GetValueOrDefault(deviceId);

    /// <summary>When the device last spoke, if it is connected here.</summary>
    public DateTimeOffset? LastHeartbeat(string deviceId) => local.LastHeartbeat(deviceId);

    public int OnlineCount => local.OnlineCount + elsewhere.Keys.Count(id => !local.IsOnline(id));

    public IReadOnlyList<string> OnlineDeviceIds() => local.OnlineDeviceIds().Union(elsewhere.Keys, StringComparer.Ordinal).ToList();

    /// <summary>Re-reads which devices other live instances hold (their rows say so).</summary>
    public async Task RefreshAsync(PortalDbContext db, DateTimeOffset aliveSince, CancellationToken cancellationToken)
    {
        var me = instance.Id;
        var alive = db.Instances.Where(i => i.SeenAt >= aliveSince).Select(i => i.Id);
        var rows = await db.Devices.AsNoTracking()
            .Where(d => d.ConnectedInstance != null && d.ConnectedInstance != me && d.RevokedAt == null && alive.Contains(d.ConnectedInstance))
            .Select(d => new { d.Id, d.ConnectionId })
            .ToListAsync(cancellationToken);
        var fresh = rows.ToDictionary(r => r.Id, r => r.ConnectionId, StringComparer.Ordinal);
        foreach (var gone in elsewhere.Keys.Where(id => !fresh.ContainsKey(id)))
        {
            elsewhere.TryRemove(gone, out _);
        }

        foreach (var (id, connection) in fresh)
        {
            elsewhere[id] = connection;
        }
    }

    public void Dispose()
    {
        presenceSubscription.Dispose();
        disconnectSubscription.Dispose();
    }

    private Task OnPresence(PresenceChanged change)
    {
        if (change.Instance == instance.Id)
        {
            return Task.CompletedTask;
        }

        if (change.Online)
        {
            elsewhere[change.DeviceId] = change.ConnectionId;
            // The device moved here from this instance (a flaky network): the old connection here is stale.
            if (local.ConnectionIdOf(change.DeviceId) is not null)
            {
                local.Abort(change.DeviceId);
            }
        }
        else if (elsewhere.TryGetValue(change.DeviceId, out var connection) && (change.ConnectionId is null || connection == change.ConnectionId))
        {
            elsewhere.TryRemove(change.DeviceId, out _);
        }

        return Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Portal.Features.Cluster;

/// <summary>
/// Which devices are connected to this portal instance right now, and when each last heartbeated. In memory on
/// purpose: after a restart every device is Offline until it reconnects.
/// </summary>
public sealed class DeviceConnectionRegistry(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DeviceConnection> connections = new(StringComparer.Ordinal);

    public sealed record DeviceConnection(string DeviceId, string ConnectionId, HubCallerContext Context, DateTimeOffset ConnectedAt)
    {
        public DateTimeOffset LastHeartbeat { get; set; }

        public int IntervalSeconds { get; set; } = 5;
    }

    /// <summary>Registers a new connection, closing an older one of the same device (a device speaks once).</summary>
    public void Register(string deviceId, HubCallerContext context)
    {
        var now = clock.GetUtcNow();
        var connection = new DeviceConnection(deviceId, context.ConnectionId, context, now) { LastHeartbeat = now };
        connections.AddOrUpdate(deviceId, connection, (_, old) =>
        {
            old.Context.Abort();
            return connection;
        });
    }

    /// <summary>Removes the connection; false when a newer connection of the same device has replaced it.</summary>
    public bool Unregister(string deviceId, string connectionId) =>
        connections.TryGetValue(deviceId, out var current)
        && current.ConnectionId == connectionId
        && connections.TryRemove(new KeyValuePair<string, DeviceConnection>(deviceId, current));

    /// <summary>Any message from the device shows it is alive; a heartbeat also says how often to expect the next.</summary>
    public void Heartbeat(string deviceId, int? intervalSeconds)
    {
        if (connections.TryGetValue(deviceId, out var connection))
        {
            connection.LastHeartbeat = clock.GetUtcNow();
            connection.IntervalSeconds = intervalSeconds ?? connection.IntervalSeconds;
        }
    }

    public bool IsOnline(string deviceId) => connections.ContainsKey(deviceId);

    /// <summary>The device's current connection here, for calls that need one connection (client results).</summary>
    public string? ConnectionIdOf(string deviceId) => connections.TryGetValue(deviceId, out var c) ? c.ConnectionId : null;

    public DateTimeOffset? LastHeartbeat(string deviceId) => connections.TryGetValue(deviceId, out var c) ? c.LastHeartbeat : null;

    /// <summary>How many devices are connected here now.</summary>
    public int OnlineCount => connections.Count;

    public IReadOnlyList<string> OnlineDeviceIds() => connections.Keys.ToList();

    /// <summary>Closes the device's connection, if it has one here.</summary>
    public void Abort(string deviceId)
    {
        if (connections.TryGetValue(deviceId, out var connection))
        {
            connection.Context.Abort();
        }
    }

    /// <summary>Connections whose device missed two heartbeats and 20 s more.</summary>
    public IReadOnlyList<DeviceConnection> Silent()
    {
        var now = clock.GetUtcNow();
        return connections.Values
            .Where(c => now - c.LastHeartbeat > TimeSpan.FromSeconds((2 * c.IntervalSeconds) + 20))
            .ToList();
    }
}

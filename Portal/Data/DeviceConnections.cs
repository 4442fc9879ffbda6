using Microsoft.EntityFrameworkCore;

namespace Portal.Data;

internal static class DeviceConnections
{
    /// <summary>Marks these devices as connected to no instance (their instance stopped or died); returns how many rows changed.</summary>
    public static Task<int> ForgetConnectionsAsync(this IQueryable<Device> devices, CancellationToken cancellationToken) =>
        devices.ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectedInstance, (string?)null).SetProperty(d => d.ConnectionId, (string?)null), cancellationToken);
}

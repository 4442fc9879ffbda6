using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Hubs;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;

namespace Portal.Features.Devices;

/// <summary>Devices as operators see them: stored facts joined with who is connected right now.</summary>
public sealed class DeviceService(
    IDbContextFactory<PortalDbContext> dbFactory,
    DeviceConnectionRegistry registry,
    IHubContext<AgentHub, IAgentClient> hub,
    DeviceEvents events,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<DeviceDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var devices = await db.Devices.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
        return devices.Select(ToDto).ToList();
    }

    public async Task<DeviceDto?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return device is null ? null : ToDto(device);
    }

    /// <summary>Decommissions a device: its secret stops working and its live connection closes at once.</summary>
    public async Task<OperationResult<DeviceDto>> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (device is null)
        {
            return OperationResult<DeviceDto>.Fail(OperationOutcome.NotFound, "There is no such device.");
        }

        device.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        if (registry.IsOnline(id))
        {
            await hub.Clients.User(id).Revoked("This device was decommissioned in the portal.");
            registry.Abort(id);
        }

        events.Publish(new DeviceEvent(id, device.Name, DeviceStatus.Revoked, "was decommissioned", clock.GetUtcNow()));
        return OperationResult<DeviceDto>.Ok(ToDto(device));
    }

    private DeviceDto ToDto(Device d) => new(
        d.Id,
        d.Name,
        d.RevokedAt is not null ? DeviceStatus.Revoked : registry.IsOnline(d.Id) ? DeviceStatus.Online : DeviceStatus.Offline,
        d.EnrolledAt,
        registry.LastHeartbeat(d.Id) ?? d.LastSeenAt,
        d.Labels,
        d.Inventory);
}

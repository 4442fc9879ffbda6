using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Notifications;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Notifications;

namespace Portal.Features.Devices;

/// <summary>What decommissioning did: the device, and a sentence about its workloads.</summary>
public sealed record DecommissionOutcome(DeviceDto Device, string Workloads);

/// <summary>
/// Decommissions a device: its secret stops working at once; when asked (and it is online), its workloads are removed
/// first, while it is still connected, and only then is its connection closed. Removing a decommissioned device
/// deletes its row, history and telemetry; the audit log keeps what happened.
/// </summary>
public sealed class DeviceDecommission(
    IDbContextFactory<PortalDbContext> dbFactory,
    DeviceService devices,
    IWorkloadDrain drain,
    Portal.Features.Cluster.FleetPresence presence,
    IHubClients<IAgentClient> agents,
    DeviceEvents events,
    AuditLog audit,
    Notifier<Portal.Features.Cluster.DisconnectRequested> disconnects,
    TimeProvider clock)
{
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public async Task<OperationResult<DecommissionOutcome>> DecommissionAsync(string id, bool removeWorkloads, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null)
        {
            return OperationResult<DecommissionOutcome>.Fail(OperationOutcome.NotFound, "There is no such device.");
        }

        var online = presence.IsOnline(id);
        var workloads = await drain.WorkloadsOfAsync(id, ct);
        if (removeWorkloads && !online && workloads.Count > 0)
        {
            return OperationResult<DecommissionOutcome>.Fail(OperationOutcome.Conflict,
                $"{device.Name} is offline, so its {Count(workloads.Count)} cannot be removed now. Decommission it without removing them (they keep running on the machine until stopped there), or wait until it is online.");
        }

        var already = device.RevokedAt is not null;
        device.RevokedAt ??= clock.GetUtcNow();
        if (!already)
        {
            FleetEvents.Add(db, FleetEventTypes.DeviceDecommissioned, $"device:{id}", device.Name,
                new JsonObject { ["removeWorkloads"] = removeWorkloads, ["by"] = actor.Name }, device.RevokedAt.Value);
        }

        await db.SaveChangesAsync(ct);

        var sentence = workloads.Count == 0 ? "It ran no workloads."
            : !removeWorkloads ? $"Its {Count(workloads.Count)} ({string.Join(", ", workloads)}) were left running on the machine."
            : null;
        if (sentence is null && online && !already)
        {
            var drained = await drain.DrainAsync(id, DrainTimeout, ct);
            sentence = drained.Confirmed
                ? $"Its {Count(drained.Workloads)} ({string.Join(", ", workloads)}) were removed from the machine first."
                : $"Its {Count(workloads.Count)} were told to stop, but the device did not confirm within {DrainTimeout.TotalSeconds:0} s: check the machine.";
        }

        sentence ??= "Its workloads were left as they were.";
        if (!already)
        {
            await audit.RecordAsync(actor, AuditActions.DeviceRevoked, AuditTargets.Device(id), device.Name, detail: sentence, ct: ct);
            await DisconnectAsync(id, ct);
            await events.RecordAsync(new DeviceEvent(id, device.Name, DeviceStatus.Revoked, "was decommissioned", clock.GetUtcNow()), ct);
        }

        return OperationResult<DecommissionOutcome>.Ok(new DecommissionOutcome(devices.ToDto(device), sentence));
    }

    /// <summary>Deletes a decommissioned device from the list with its history and telemetry; an active one must be decommissioned first.</summary>
    public async Task<OperationResult<bool>> RemoveAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, "There is no such device.");
        }

        if (device.RevokedAt is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.Conflict,
                $"{device.Name} is still enrolled. Decommission it first; then it can be removed from the list.");
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Big tables first and in the database: a device with a year of telemetry must not be loaded to be deleted.
            await db.Telemetry.Where(t => t.DeviceId == id).ExecuteDeleteAsync(ct);
            await db.TelemetryMinutes.Where(t => t.DeviceId == id).ExecuteDeleteAsync(ct);
            await db.DeviceHistory.Where(h => h.DeviceId == id).ExecuteDeleteAsync(ct);
            await db.DeviceModelMetrics.Where(m => m.DeviceId == id).ExecuteDeleteAsync(ct);
            await db.DesiredStates.Where(s => s.DeviceId == id).ExecuteDeleteAsync(ct);
            await db.DeploymentTargets.Where(t => t.DeviceId == id).ExecuteDeleteAsync(ct);
            await db.Devices.Where(d => d.Id == id).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }

        await audit.RecordAsync(actor, AuditActions.DeviceRemoved, AuditTargets.Device(id), device.Name,
            detail: "removed from the list with its history and telemetry", ct: ct);
        return OperationResult<bool>.Ok(true);
    }

    private async Task DisconnectAsync(string id, CancellationToken ct)
    {
        if (!presence.IsOnline(id))
        {
            return;
        }

        try
        {
            // A courtesy: the agent logs why. A device that stops reading must not hold up the revocation.
            await agents.User(id).Revoked("This device was decommissioned in the portal.").WaitAsync(TimeSpan.FromSeconds(2), ct);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            // Whichever instance holds the connection closes it.
            disconnects.Publish(new Portal.Features.Cluster.DisconnectRequested(id));
        }
    }

    private static string Count(int n) => n == 1 ? "1 workload" : $"{n} workloads";
}

using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Deployments;
using Portal.Shared.Hubs;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Every device's desired state, computed from the deployments released to it, stored, and pushed to the device when
/// it changes (offline devices ask for it on reconnect). Revisions only go up, and are at least the current Unix time
/// in milliseconds, so even a portal whose database was replaced never sends a revision an agent already passed.
/// Secret parameters stay encrypted in the stored rows; only what is sent to the device is revealed. Each agent gets
/// the shape its version reads (<see cref="DesiredStateShape"/>).
/// </summary>
public sealed partial class DesiredStates(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHubClients<IAgentClient> agents,
    Portal.Features.Cluster.FleetPresence presence,
    Portal.Security.SecretParameters secrets,
    Portal.Features.FleetConfig.DeviceConfigReader configReader,
    TimeProvider clock,
    ILogger<DesiredStates> logger)
{
    /// <summary>The device's desired state as its agent needs it: secrets revealed, in the shape its version reads.</summary>
    public async Task<DesiredState> GetAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.DesiredStates.AsNoTracking().FirstOrDefaultAsync(d => d.DeviceId == deviceId, cancellationToken);
        var versions = await AgentVersionsAsync(db, [deviceId], cancellationToken);
        return DesiredStateShape.For(row is null ? DesiredState.Empty : secrets.Reveal(row.State()), versions.GetValueOrDefault(deviceId));
    }

    public async Task<DeviceWorkloads> WorkloadsAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.DesiredStates.AsNoTracking().FirstOrDefaultAsync(d => d.DeviceId == deviceId, cancellationToken);
        if (row is null)
        {
            return new DeviceWorkloads(0, 0, null, []);
        }

        // Desired but not reported yet (offline device, new revision): Pending.
        var statuses = row.Items().Select(w => row.Reported.FirstOrDefault(r => r.Name == w.Name && r.SpecHash == w.SpecHash && r.Kind == w.Kind)
            ?? new WorkloadStatus(w.Name, w.DeploymentId, w.SpecHash, WorkloadState.Pending, null, Image(w), null, null, 0, null, null, null, w.Kind, PendingServices(w))).ToList();
        return new DeviceWorkloads(row.Revision, row.ReportedRevision, row.ReportedAt, statuses);
    }

    /// <summary>Recomputes every device's desired state; stores and pushes those that changed. Returns how many changed.</summary>
    public async Task<int> RecomputeAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployments = await db.Deployments.AsNoTracking().Include(d => d.Targets)
            .Where(d => d.State != DeploymentState.RolledBack).ToListAsync(cancellationToken);
        var released = new Dictionary<string, List<DesiredStateBuilder.Released>>(StringComparer.Ordinal);
        foreach (var deployment in deployments)
        {
            var current = WorkloadSpecBuilder.Build(deployment);
            // Devices not released to the current revision yet keep running the previous one.
            var previous = DeploymentRevisions.CanRevert(deployment) ? WorkloadSpecBuilder.Build(deployment, deployment.Previous!) : current;
            foreach (var target in deployment.Targets.Where(t => t.ReleasedAt is not null && t.State != DeviceRolloutState.RolledBack))
            {
                var workload = DeploymentRevisions.IsBehind(target, deployment) ? previous : current;
                if (workload is not null)
                {
                    Add(released, target.DeviceId, new DesiredStateBuilder.Released(workload, deployment.CreatedAt));
                }
            }
        }

        // Read only when containers or stacks are deployed; an empty configuration costs two small queries and no group listing.
        var config = released.Values.Any(list => list.Any(r => UsesConfig(r.Workload)))
            ? await configReader.ReadAsync(cancellationToken)
            : Portal.Features.FleetConfig.FleetConfigSnapshot.Empty;
        var rows = await db.DesiredStates.ToDictionaryAsync(r => r.DeviceId, StringComparer.Ordinal, cancellationToken);
        var now = clock.GetUtcNow();
        var changed = new List<DeviceDesiredState>();
        foreach (var deviceId in rows.Keys.Union(released.Keys).ToList())
        {
            var workloads = Resolve(DesiredStateBuilder.Workloads(released.GetValueOrDefault(deviceId) ?? []), config, deviceId);
            if (!rows.TryGetValue(deviceId, out var row))
            {
                if (workloads.Count == 0)
                {
                    continue;
                }

                row = db.DesiredStates.Add(new DeviceDesiredState { DeviceId = deviceId }).Entity;
            }
            else if (DesiredStateBuilder.SameAs(row.Items(), workloads))
            {
                continue;
            }

            row.Revision = Math.Max(row.Revision + 1, now.ToUnixTimeMilliseconds());
            row.SetItems(workloads);
            row.UpdatedAt = now;
            changed.Add(row);
        }

        await db.SaveChangesAsync(cancellationToken);
        // All at once, not one after the other: a deployment to thousands of devices reaches them in one round of sends.
        var online = changed.Where(r => presence.IsOnline(r.DeviceId)).ToList();
        // One line per change at Information; per device only at Debug (ten thousand console lines cost seconds).
        if (changed.Count > 0)
        {
            LogRecomputed(logger, changed.Count, online.Count);
        }

        foreach (var row in online)
        {
            LogPushing(logger, row.DeviceId, row.Revision, row.Workloads.Count + row.Models.Count + row.Stacks.Count);
        }

        var versions = online.Count == 0 ? [] : await AgentVersionsAsync(db, [.. online.Select(r => r.DeviceId)], cancellationToken);
        await Task.WhenAll(online.Select(row => PushAsync(row.DeviceId, DesiredStateShape.For(secrets.Reveal(row.State()), versions.GetValueOrDefault(row.DeviceId)))));

        return changed.Count;
    }

    /// <summary>
    /// The device's agent reports another version than before (or its first): the same desired state may read
    /// differently to it (<see cref="DesiredStateShape"/> leaves out kinds an older or unknown agent does not run). An
    /// agent ignores a revision it already has, so the state gets a new revision, and is pushed.
    /// </summary>
    public async Task AgentVersionChangedAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (await db.DesiredStates.Where(d => d.DeviceId == deviceId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Revision, d => d.Revision + 1 > now ? d.Revision + 1 : now), cancellationToken) == 0)
            {
                return;
            }
        }

        if (presence.IsOnline(deviceId))
        {
            await PushAsync(deviceId, await GetAsync(deviceId, cancellationToken));
        }
    }

    /// <summary>What each device's agent last said its version is (null before its first inventory).</summary>
    private static async Task<Dictionary<string, string?>> AgentVersionsAsync(PortalDbContext db, IReadOnlyList<string> deviceIds, CancellationToken ct)
    {
        var devices = await db.Devices.AsNoTracking().Where(d => deviceIds.Contains(d.Id)).Select(d => new { d.Id, d.Inventory }).ToListAsync(ct);
        return devices.ToDictionary(d => d.Id, d => d.Inventory?.AgentVersion, StringComparer.Ordinal);
    }

    /// <summary>Whether the workload's kind may reference config or secrets (every kind but a model).</summary>
    private static bool UsesConfig(DesiredWorkload w) => w.Container is not null || w.Stack is not null || w.Flow is not null;

    /// <summary>The device's own copy of each workload that references config or secrets (secrets stored protected).</summary>
    private IReadOnlyList<DesiredWorkload> Resolve(IReadOnlyList<DesiredWorkload> workloads, Portal.Features.FleetConfig.FleetConfigSnapshot config, string deviceId)
    {
        if (config.IsEmpty || !workloads.Any(UsesConfig))
        {
            return workloads;
        }

        var device = config.For(deviceId);
        return workloads.Select(w => WorkloadConfigResolver.Resolve(w, device, secrets.Protect)).ToList();
    }

    /// <summary>A stack not reported yet still shows what it is made of: each service Pending.</summary>
    private static List<ServiceStatus>? PendingServices(DesiredWorkload w) =>
        w.Stack?.Services.Select(s => new ServiceStatus(s.ServiceName, WorkloadState.Pending, null, s.Container.Image, null, s.Container.SpecHash)).ToList();

    private static string Image(DesiredWorkload w) => w.Container?.Image ?? (w.Model is { } m ? $"{m.Name} v{m.Version}" : w.Name);

    private static void Add<T>(Dictionary<string, List<T>> byDevice, string deviceId, T item)
    {
        if (!byDevice.TryGetValue(deviceId, out var list))
        {
            byDevice[deviceId] = list = [];
        }

        list.Add(item);
    }

    private async Task PushAsync(string deviceId, DesiredState state)
    {
        try
        {
            await agents.User(deviceId).ApplyDesiredState(state);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The device asks again on its next connect.
            LogPushFailed(logger, deviceId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Desired state changed for {Changed} devices; pushing it to the {Online} online")]
    private static partial void LogRecomputed(ILogger logger, int changed, int online);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Desired state of device {DeviceId}: revision {Revision}, {Count} workloads")]
    private static partial void LogPushing(ILogger logger, string deviceId, long revision, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push the desired state to device {DeviceId}: {Error}")]
    private static partial void LogPushFailed(ILogger logger, string deviceId, string error);
}

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
/// Secret parameters stay encrypted in the stored rows; only what is sent to the device is revealed.
/// </summary>
public sealed partial class DesiredStates(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHubClients<IAgentClient> agents,
    Portal.Features.Cluster.FleetPresence presence,
    Portal.Security.SecretParameters secrets,
    TimeProvider clock,
    ILogger<DesiredStates> logger)
{
    public async Task<DesiredState> GetAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.DesiredStates.AsNoTracking().FirstOrDefaultAsync(d => d.DeviceId == deviceId, cancellationToken);
        return row is null ? DesiredState.Empty : secrets.Reveal(new DesiredState(row.Revision, row.Workloads, row.Models));
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
        var statuses = row.Workloads.Select(w => row.Reported.FirstOrDefault(r => r.Name == w.Name && r.SpecHash == w.SpecHash && r.Kind == WorkloadKind.Container)
            ?? new WorkloadStatus(w.Name, w.DeploymentId, w.SpecHash, WorkloadState.Pending, null, w.Image, null, null, 0, null, null)).ToList();
        statuses.AddRange(row.Models.Select(m => row.Reported.FirstOrDefault(r => r.Name == m.Name && r.SpecHash == m.SpecHash && r.Kind == WorkloadKind.Model)
            ?? new WorkloadStatus(m.Name, m.DeploymentId, m.SpecHash, WorkloadState.Pending, null, $"{m.Name} v{m.Version}", null, null, 0, null, null, null, WorkloadKind.Model)));
        return new DeviceWorkloads(row.Revision, row.ReportedRevision, row.ReportedAt, statuses);
    }

    /// <summary>Recomputes every device's desired state; stores and pushes those that changed. Returns how many changed.</summary>
    public async Task<int> RecomputeAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployments = await db.Deployments.AsNoTracking().Include(d => d.Targets)
            .Where(d => d.State != DeploymentState.RolledBack).ToListAsync(cancellationToken);
        var released = new Dictionary<string, List<DesiredStateBuilder.Released>>(StringComparer.Ordinal);
        var releasedModels = new Dictionary<string, List<DesiredStateBuilder.ReleasedModel>>(StringComparer.Ordinal);
        foreach (var deployment in deployments)
        {
            var current = WorkloadSpecBuilder.Build(deployment);
            // Devices not released to the current revision yet keep running the previous one.
            var previous = DeploymentRevisions.CanRevert(deployment) ? WorkloadSpecBuilder.Build(deployment, deployment.Previous!) : current;
            foreach (var target in deployment.Targets.Where(t => t.ReleasedAt is not null && t.State != DeviceRolloutState.RolledBack))
            {
                var (spec, model) = DeploymentRevisions.IsBehind(target, deployment) ? previous : current;
                if (spec is not null)
                {
                    Add(released, target.DeviceId, new DesiredStateBuilder.Released(spec, deployment.CreatedAt));
                }

                if (model is not null)
                {
                    Add(releasedModels, target.DeviceId, new DesiredStateBuilder.ReleasedModel(model, deployment.CreatedAt));
                }
            }
        }

        var rows = await db.DesiredStates.ToDictionaryAsync(r => r.DeviceId, StringComparer.Ordinal, cancellationToken);
        var now = clock.GetUtcNow();
        var changed = new List<DeviceDesiredState>();
        foreach (var deviceId in rows.Keys.Union(released.Keys).Union(releasedModels.Keys).ToList())
        {
            var workloads = DesiredStateBuilder.Workloads(released.GetValueOrDefault(deviceId) ?? []);
            var models = DesiredStateBuilder.Models(releasedModels.GetValueOrDefault(deviceId) ?? []);
            if (!rows.TryGetValue(deviceId, out var row))
            {
                if (workloads.Count == 0 && models.Count == 0)
                {
                    continue;
                }

                row = db.DesiredStates.Add(new DeviceDesiredState { DeviceId = deviceId }).Entity;
            }
            else if (DesiredStateBuilder.SameAs(row.Workloads, workloads) && DesiredStateBuilder.SameAs(row.Models, models))
            {
                continue;
            }

            row.Revision = Math.Max(row.Revision + 1, now.ToUnixTimeMilliseconds());
            row.Workloads = workloads.ToList();
            row.Models = models.ToList();
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
            LogPushing(logger, row.DeviceId, row.Revision, row.Workloads.Count);
        }

        await Task.WhenAll(online.Select(row => PushAsync(row.DeviceId, new DesiredState(row.Revision, row.Workloads, row.Models))));

        return changed.Count;
    }

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
            await agents.User(deviceId).ApplyDesiredState(secrets.Reveal(state));
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

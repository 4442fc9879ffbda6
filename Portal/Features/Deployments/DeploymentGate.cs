using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Features.Groups;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Checks deployments against their devices (<see cref="DeploymentChecks"/>) with what the portal knows of each device:
/// before one is created (and for <c>POST /api/v1/deployments/check</c>), and again by the rollout when a step releases
/// a device, since a device can change between the two (a port taken, Docker gone).
/// </summary>
public sealed class DeploymentGate(IDbContextFactory<PortalDbContext> dbFactory, GroupService groups, FleetPresence presence, Portal.Features.FleetConfig.DeviceConfigReader configReader)
{
    /// <summary>Every device the deployment targets now (its devices and its groups' members), checked.</summary>
    public async Task<DeploymentCheck> CheckAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(deployment.DeviceIds, StringComparer.Ordinal);
        if (deployment.GroupIds.Count > 0)
        {
            var wanted = deployment.GroupIds.ToHashSet(StringComparer.Ordinal);
            ids.UnionWith((await groups.ListAsync(cancellationToken)).Where(g => wanted.Contains(g.Id)).SelectMany(g => g.Members.Select(m => m.DeviceId)));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var devices = await DevicesAsync(db, ids, cancellationToken);
        var workload = CheckedWorkload.For(deployment);
        if (workload.References is [_, ..])
        {
            var config = await configReader.ReadAsync(cancellationToken);
            devices = devices.ToDictionary(kv => kv.Key, kv => kv.Value with { Config = config.For(kv.Key) }, StringComparer.Ordinal);
        }

        return DeploymentChecks.Summarize(devices.Values
            .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => DeploymentChecks.Check(workload, d)).ToList());
    }

    /// <summary>
    /// Why an update must be refused before it starts: the targets that lack a <c>${config:}</c> or <c>${secret:}</c>
    /// the deployment (as it now stands) references, each named; null when none do.
    /// </summary>
    public async Task<string?> MissingConfigAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        if (CheckedWorkload.For(deployment).References is not [_, ..])
        {
            return null;
        }

        var lacking = (await CheckAsync(deployment, cancellationToken)).Devices
            .SelectMany(d => d.Problems.Where(p => p.Reason is DeviceCheckReason.ConfigMissing or DeviceCheckReason.ConfigInvalid)).Select(p => p.Message).ToList();
        return lacking.Count == 0 ? null : string.Join(" ", lacking.Take(5)) + (lacking.Count > 5 ? $" And {lacking.Count - 5} more devices." : "");
    }

    /// <summary>
    /// The devices with their effective config and secrets attached, when any of <paramref name="deployments"/> references
    /// config: a rollout step then skips (with the reason) a device that lacks a key, as it skips one that lacks a GPU,
    /// instead of sending it a workload with the reference unresolved. Read only when needed: most steps release nothing.
    /// </summary>
    public async Task<Dictionary<string, CheckedDevice>> WithConfigAsync(IEnumerable<Deployment> deployments, Dictionary<string, CheckedDevice> devices, CancellationToken cancellationToken)
    {
        if (devices.Count == 0 || !deployments.Any(d => CheckedWorkload.For(d).References is [_, ..]))
        {
            return devices;
        }

        var config = await configReader.ReadAsync(cancellationToken);
        return devices.ToDictionary(kv => kv.Key, kv => kv.Value with { Config = config.For(kv.Key) }, StringComparer.Ordinal);
    }

    /// <summary>What is known of each active device of <paramref name="ids"/> (revoked and unknown ones are left out).</summary>
    public async Task<Dictionary<string, CheckedDevice>> DevicesAsync(PortalDbContext db, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new(StringComparer.Ordinal);
        }

        var list = ids.ToList();
        var devices = await db.Devices.AsNoTracking().Where(d => list.Contains(d.Id) && d.RevokedAt == null)
            .Select(d => new { d.Id, d.Name, d.Inventory }).ToListAsync(cancellationToken);
        var states = await db.DesiredStates.AsNoTracking().Where(s => list.Contains(s.DeviceId)).ToDictionaryAsync(s => s.DeviceId, StringComparer.Ordinal, cancellationToken);
        return devices.ToDictionary(d => d.Id, d =>
        {
            var state = states.GetValueOrDefault(d.Id);
            // A stack's services take ports too; each counts under the stack's name, so redeploying the stack replaces them.
            var running = (state?.Workloads ?? []).Concat((state?.Stacks ?? []).SelectMany(st => st.Services.Select(sv => sv.Container with { Name = st.Name, DeploymentId = st.DeploymentId }))).ToList();
            return new CheckedDevice(d.Id, d.Name, presence.IsOnline(d.Id), d.Inventory, running, state?.Models ?? [], state?.Reported ?? []);
        }, StringComparer.Ordinal);
    }

    /// <summary>
    /// The devices a rollout step may release: those waiting in a deployment, and those about to join one (a new
    /// group member). Read once per step, so the gate costs nothing while every device is released.
    /// </summary>
    public static HashSet<string> Candidates(IEnumerable<Deployment> deployments, IReadOnlyDictionary<string, List<string>> memberships, IReadOnlySet<string> active)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in deployments)
        {
            var known = deployment.Targets.Select(t => t.DeviceId).ToHashSet(StringComparer.Ordinal);
            ids.UnionWith(deployment.Targets.Where(t => t.ReleasedAt is null && t.State == DeviceRolloutState.Waiting).Select(t => t.DeviceId));
            ids.UnionWith(deployment.DeviceIds.Where(active.Contains).Concat(deployment.GroupIds.SelectMany(g => memberships.GetValueOrDefault(g) ?? [])).Where(id => !known.Contains(id)));
        }

        return ids;
    }

    /// <summary>Why the rollout must not release <paramref name="deployment"/> to the device; null when it may (or nothing is known of it).</summary>
    public static string? Refusal(Deployment deployment, CheckedDevice? device) =>
        device is not null && DeploymentChecks.Check(CheckedWorkload.For(deployment), device) is { Eligible: false } check ? $"Skipped: {check.Why}" : null;

    /// <summary>
    /// Marks the devices of <paramref name="release"/> that cannot run the deployment's workload Skipped, with the reason
    /// and an event each. Returns true when it skipped any (the rollout then decides its step again).
    /// </summary>
    public static bool SkipRefused(PortalDbContext db, Deployment deployment, IReadOnlyList<string> release, Dictionary<string, CheckedDevice> releasable, DateTimeOffset now)
    {
        var skipped = false;
        foreach (var target in deployment.Targets.Where(t => release.Contains(t.DeviceId)))
        {
            if (Refusal(deployment, releasable.GetValueOrDefault(target.DeviceId)) is not { } refusal)
            {
                continue;
            }

            var reason = refusal.Length > 1000 ? refusal[..1000] : refusal;
            (target.State, target.Reason, target.ProgressPercent, target.UpdatedAt) = (DeviceRolloutState.Skipped, reason, null, now);
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = deployment.Id, At = now, Message = reason });
            skipped = true;
        }

        return skipped;
    }
}

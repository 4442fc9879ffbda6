using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Workloads;

namespace Portal.Features.DeviceActions;

/// <summary>
/// Takes actions to devices and their answers back: sends one (claiming its row first, so two portal instances never
/// both send it), sends a returning device what was queued for it, stores what the agent reports, and gives up on
/// queued actions past their expiry and sent ones nobody answered (<see cref="SweepAsync"/>). Each outcome is audited once.
/// </summary>
public sealed partial class DeviceActionDelivery(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHubClients<IAgentClient> agents,
    Portal.Features.Cluster.FleetPresence presence,
    Portal.Security.SecretParameters secrets,
    Portal.Features.FleetConfig.DeviceConfigReader configReader,
    Notifier<DeviceActionChanged> changes,
    AuditLog audit,
    TimeProvider clock,
    ILogger<DeviceActionDelivery> logger)
{
    /// <summary>Sends a queued action to its device now; one that expired, was sent already, or whose device is away stays as it is or fails with the reason.</summary>
    public async Task SendAsync(long actionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var action = await db.DeviceActions.AsNoTracking().FirstOrDefaultAsync(a => a.Id == actionId, ct);
        if (action is null || action.State != DeviceActionState.Queued)
        {
            return;
        }

        if (action.ExpiresAt <= now)
        {
            await FinishAsync(action.Id, action.DeviceId, DeviceActionState.Expired, Expired(action), fromDevice: false, ct);
            return;
        }

        if (presence.ConnectionIdOf(action.DeviceId) is not { } connection)
        {
            // Queued ones wait for the device; one asked for while it was online fails, as it would have if offline then.
            if (action.ExpiresAt is null)
            {
                await FinishAsync(action.Id, action.DeviceId, DeviceActionState.Failed, "The device went offline before the action could be sent.", fromDevice: false, ct);
            }

            return;
        }

        IReadOnlyList<PrePullImage> images = [];
        if (action.Kind == DeviceActionKind.PrePull)
        {
            // Read now, not when asked: a queued pre-pull pulls what the deployment deploys when the device returns.
            var (workload, problem) = await PrePullSourceAsync(db, action.DeploymentId, ct);
            if (workload is null)
            {
                await FinishAsync(action.Id, action.DeviceId, DeviceActionState.Failed, problem!, fromDevice: false, ct);
                return;
            }

            images = await ImagesAsync(workload, action.DeviceId, ct);
        }

        // Claimed before it is sent: only one instance (or one of two connects racing) sends it.
        var claimed = await db.DeviceActions.Where(a => a.Id == actionId && a.State == DeviceActionState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, DeviceActionState.Sent).SetProperty(a => a.SentAt, now)
                .SetProperty(a => a.Message, "Sent to the device."), ct);
        if (claimed == 0)
        {
            return;
        }

        changes.Publish(new DeviceActionChanged(action.DeviceId));
        try
        {
            await agents.Client(connection).RunAction(new DeviceActionJob(action.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), action.Kind, images));
            LogSent(logger, action.Id, action.Kind, action.DeviceId);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or HubException)
        {
            await FinishAsync(action.Id, action.DeviceId, DeviceActionState.Failed, $"The action could not be sent to the device: {ex.Message}", fromDevice: false, ct);
        }
    }

    /// <summary>A device came online: what was queued for it and has not expired goes now, oldest first.</summary>
    public async Task DeliverQueuedAsync(string deviceId, CancellationToken ct)
    {
        List<long> queued;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            queued = await db.DeviceActions.Where(a => a.DeviceId == deviceId && a.State == DeviceActionState.Queued)
                .OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        }

        // Each is sent, or (past its expiry) expired, by SendAsync: no fleet-wide sweep on every connect.
        foreach (var id in queued)
        {
            await SendAsync(id, ct);
        }
    }

    /// <summary>An agent's report on one of its own actions; a finished action stays as it is.</summary>
    public async Task ReceiveAsync(string deviceId, DeviceActionReport report, CancellationToken ct)
    {
        if (!long.TryParse(report.ActionId, System.Globalization.CultureInfo.InvariantCulture, out var actionId))
        {
            return;
        }

        if (report.State == DeviceActionState.Running)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.DeviceActions.Where(a => a.Id == actionId && a.DeviceId == deviceId && (a.State == DeviceActionState.Sent || a.State == DeviceActionState.Running))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, DeviceActionState.Running).SetProperty(a => a.Message, Shorten(report.Message)), ct) > 0)
            {
                changes.Publish(new DeviceActionChanged(deviceId));
            }

            return;
        }

        await FinishAsync(actionId, deviceId, report.State, report.Message, fromDevice: true, ct);
    }

    /// <summary>Queued actions past their expiry become Expired; sent ones with no answer in time become Failed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var stale = await db.DeviceActions.AsNoTracking()
            .Where(a => (a.State == DeviceActionState.Queued && a.ExpiresAt != null) || a.State == DeviceActionState.Sent || a.State == DeviceActionState.Running)
            .ToListAsync(ct);
        var given = 0;
        foreach (var a in stale)
        {
            if (a.State == DeviceActionState.Queued && a.ExpiresAt <= now)
            {
                given += await FinishAsync(a.Id, a.DeviceId, DeviceActionState.Expired, Expired(a), fromDevice: false, ct) ? 1 : 0;
            }
            else if (a.State != DeviceActionState.Queued && a.SentAt + DeviceActionRules.AnswerWithin(a.Kind) <= now)
            {
                given += await FinishAsync(a.Id, a.DeviceId, DeviceActionState.Failed,
                    $"The device did not report the outcome within {DeviceActionRules.AnswerWithin(a.Kind).TotalMinutes:0} minutes of receiving it.", fromDevice: false, ct) ? 1 : 0;
            }
        }

        return given;
    }

    /// <summary>Why a deployment cannot be pre-pulled (unknown, or nothing to pull); null when it can.</summary>
    public static async Task<string?> PrePullProblemAsync(PortalDbContext db, string? deploymentId, CancellationToken ct) =>
        (await PrePullSourceAsync(db, deploymentId, ct)).Problem;

    /// <summary>What a deployment's current revision runs, read once, or why it has no images to pre-pull.</summary>
    private static async Task<(DesiredWorkload? Workload, string? Problem)> PrePullSourceAsync(PortalDbContext db, string? deploymentId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(deploymentId))
        {
            return (null, "Say which deployment's images to pre-pull (deploymentId).");
        }

        var deployment = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deploymentId, ct);
        if (deployment is null)
        {
            return (null, $"There is no deployment with the id {deploymentId}.");
        }

        if (deployment.Kind != Portal.Shared.Deployments.DeploymentKind.App)
        {
            return (null, $"Deployment '{deployment.Name}' deploys a {deployment.Kind}; only app deployments (containers and stacks) have images to pre-pull.");
        }

        return WorkloadSpecBuilder.Build(deployment) is { } workload
            ? (workload, null)
            : (null, $"Deployment '{deployment.Name}' has no readable spec to take images from.");
    }

    /// <summary>
    /// The images a deployment's workload runs, as this device would get them: its configuration resolved (the
    /// registry credential comes from its secrets), revealed for the device only.
    /// </summary>
    private async Task<IReadOnlyList<PrePullImage>> ImagesAsync(DesiredWorkload workload, string deviceId, CancellationToken ct)
    {
        var config = await configReader.ReadAsync(ct);
        if (!config.IsEmpty)
        {
            workload = WorkloadConfigResolver.Resolve(workload, config.For(deviceId), secrets.Protect);
        }

        IEnumerable<WorkloadSpec> containers = workload switch
        {
            { Container: { } c } => [c],
            { Stack: { } s } => s.Services.Select(x => x.Container),
            _ => [],
        };
        return containers.Select(c => new PrePullImage(c.Image, c.Registry is null ? null : secrets.Reveal(c).Registry))
            .DistinctBy(i => i.Image, StringComparer.Ordinal).ToList();
    }

    /// <summary>Stores a final state once and audits it; false when the action had finished already (or is not the device's).</summary>
    private async Task<bool> FinishAsync(long actionId, string deviceId, DeviceActionState state, string message, bool fromDevice, CancellationToken ct)
    {
        if (!DeviceActionRules.IsFinished(state))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var text = Shorten(message);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // A device may finish only what was sent to it; the portal also finishes what is still queued (expiry, a deployment gone).
            var finished = await db.DeviceActions.Where(a => a.Id == actionId && a.DeviceId == deviceId
                    && (a.State == DeviceActionState.Sent || a.State == DeviceActionState.Running || (!fromDevice && a.State == DeviceActionState.Queued)))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, state).SetProperty(a => a.Message, text).SetProperty(a => a.FinishedAt, now), ct);
            if (finished == 0)
            {
                return false;
            }

            var row = await db.DeviceActions.AsNoTracking().FirstAsync(a => a.Id == actionId, ct);
            var name = await db.Devices.Where(d => d.Id == deviceId).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? deviceId;
            await AuditOutcomeAsync(row, name, ct);
            changes.Publish(new DeviceActionChanged(deviceId));
            return true;
        }
        catch (DbUpdateException ex)
        {
            LogStoreFailed(logger, actionId, ex.Message);
            return false;
        }
    }

    /// <summary>One audit entry per finished action: what, who asked, and how it ended.</summary>
    public Task AuditOutcomeAsync(DeviceAction row, string deviceName, CancellationToken ct) =>
        audit.RecordAsync(AuditActor.System, AuditActions.DeviceActionFinished, AuditTargets.Device(row.DeviceId), deviceName,
            outcome: row.State == DeviceActionState.Succeeded ? AuditOutcomes.Success : AuditOutcomes.Failure,
            detail: $"{DeviceActionRules.Title(row.Kind)} asked by {row.RequestedBy}: {row.State}. {row.Message}", ct: ct);

    private static string Expired(DeviceAction a) => $"The device did not come online before the action expired ({a.ExpiresAt:u}); it was not run.";

    private static string Shorten(string? message) =>
        string.IsNullOrEmpty(message) ? "" : message.Length > DeviceActionReport.MaxMessageLength ? message[..DeviceActionReport.MaxMessageLength] : message;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent action {ActionId} ({Kind}) to device {DeviceId}")]
    private static partial void LogSent(ILogger logger, long actionId, DeviceActionKind kind, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the outcome of action {ActionId}: {Error}")]
    private static partial void LogStoreFailed(ILogger logger, long actionId, string error);
}

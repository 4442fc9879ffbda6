using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Features.Deployments;
using Portal.Features.Devices;
using Portal.Features.Telemetry;
using Portal.Features.Workloads;
using Portal.Security;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Models;
using Portal.Shared.Notifications;
using Portal.Shared.Security;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;

namespace Portal.Hubs;

/// <summary>
/// The hub agents connect to. The caller's identity comes only from its device secret, never from a message, so a
/// device can speak only as itself; a bad message fails that one call and disturbs nobody else. Refusals are logged,
/// throttled, by <see cref="AgentHubGuard"/>, which also holds each device to its call budget.
/// </summary>
[Authorize(AuthenticationSchemes = DeviceAuthenticationHandler.SchemeName, Roles = PortalRoles.Device)]
public sealed partial class AgentHub(
    DeviceConnectionRegistry registry,
    DeviceEvents events,
    TelemetryWriter telemetry,
    Portal.Features.DeviceData.DeviceDataWriter deviceData,
    Microsoft.Extensions.Options.IOptions<Portal.Configuration.PortalOptions> options,
    IDbContextFactory<PortalDbContext> dbFactory,
    DesiredStates desiredStates,
    WorkloadReports workloadReports,
    LogStreams logStreams,
    Portal.Features.Models.InferenceMetricsStore inferenceMetrics,
    Portal.Features.Models.ModelProfiles profiles,
    Portal.Features.DeviceActions.DeviceActionDelivery actions,
    Portal.Features.Cluster.PortalInstanceIdentity instance,
    Portal.Common.Notifier<Portal.Features.Cluster.PresenceChanged> presence,
    AgentRateLimits limits,
    HubRejectionLog rejections,
    Portal.Security.ReleaseSigningKey releaseKey,
    TimeProvider clock,
    ILogger<AgentHub> logger) : Hub<IAgentClient>, IAgentHub
{
    private string DeviceId => Context.User!.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private string DeviceName => Context.User!.Identity?.Name ?? DeviceId;

    public override async Task OnConnectedAsync()
    {
        registry.Register(DeviceId, Context);
        try
        {
            // Revoked between authentication and now: it must not stay connected.
            if (!await ConnectAsync())
            {
                registry.Unregister(DeviceId, Context.ConnectionId);
                Context.Abort();
                return;
            }
        }
        catch
        {
            // SignalR skips OnDisconnectedAsync when OnConnectedAsync fails: undo the registration here.
            registry.Unregister(DeviceId, Context.ConnectionId);
            throw;
        }

        LogConnected(logger, DeviceId, DeviceName);
        // Every instance learns where the device is now (and the log streams watched anywhere are asked for again).
        presence.Publish(new Portal.Features.Cluster.PresenceChanged(DeviceId, instance.Id, Context.ConnectionId, Online: true));
        await events.RecordAsync(new DeviceEvent(DeviceId, DeviceName, DeviceStatus.Online, "came online", clock.GetUtcNow()));
        // Actions queued while it was away go now, off the connect (the agent's handlers are bound before it connects).
        var deviceId = DeviceId;
        _ = Task.Run(() => DeliverQueuedAsync(deviceId));
    }

    private async Task DeliverQueuedAsync(string deviceId)
    {
        try
        {
            await actions.DeliverQueuedAsync(deviceId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or InvalidOperationException or ObjectDisposedException)
        {
            LogQueuedActionsFailed(logger, deviceId, ex.Message);
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        // Offline only if this connection was still the device's: it may have reconnected (here or elsewhere) already.
        if (registry.Unregister(DeviceId, Context.ConnectionId) && await DisconnectAsync())
        {
            presence.Publish(new Portal.Features.Cluster.PresenceChanged(DeviceId, instance.Id, Context.ConnectionId, Online: false));
            LogDisconnected(logger, DeviceId, DeviceName);
            await events.RecordAsync(new DeviceEvent(DeviceId, DeviceName, DeviceStatus.Offline, "went offline", clock.GetUtcNow()), FleetEventTypes.DeviceOffline);
        }
    }

    public async Task ReportInventory(DeviceInventory inventory)
    {
        if (InventoryRules.Problem(inventory) is { } problem)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.Inventory, problem));
        }

        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        var before = await db.Devices.AsNoTracking().Where(d => d.Id == DeviceId).Select(d => d.Inventory).FirstOrDefaultAsync(Context.ConnectionAborted);
        await db.Devices.Where(d => d.Id == DeviceId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Inventory, inventory), Context.ConnectionAborted);
        events.Publish(new DeviceEvent(DeviceId, DeviceName, DeviceStatus.Online, "reported its inventory", clock.GetUtcNow()));
        if (before?.AgentVersion != inventory.AgentVersion)
        {
            // A state pushed before the portal knew this agent's version may have left out kinds it does run.
            await desiredStates.AgentVersionChangedAsync(DeviceId, Context.ConnectionAborted);
        }
    }

    public Task Heartbeat(int intervalSeconds)
    {
        if (intervalSeconds is < 1 or > 3600)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.Heartbeat, "the interval must be between 1 and 3600 seconds."));
        }

        registry.Heartbeat(DeviceId, intervalSeconds);
        return Task.CompletedTask;
    }

    public async Task<long> SendTelemetry(TelemetryBatch batch)
    {
        if (TelemetryRules.Problem(batch, clock.GetUtcNow(), TimeSpan.FromDays(options.Value.Telemetry.RawRetentionDays)) is { } problem)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.Telemetry, problem));
        }

        registry.Heartbeat(DeviceId, null);
        // Over its sample budget a device gets a smaller acknowledgement, not an error: the rest stays in its outbox
        // and comes again with the next flush, so a draining backlog is slowed, never discarded.
        var allowed = limits.TakeSamples(DeviceId, batch.Samples.Count);
        if (allowed < batch.Samples.Count)
        {
            rejections.Record(DeviceId, nameof(SendTelemetry),
                $"over {options.Value.Security.AgentLimits.TelemetrySamplesPerMinute} samples a minute; {batch.Samples.Count - allowed} of {batch.Samples.Count} left on the device for later");
            batch = batch with { Samples = batch.Samples.Take(allowed).ToList() };
        }

        return await telemetry.WriteAsync(DeviceId, batch, Context.ConnectionAborted);
    }

    public async Task<long> SendDeviceData(Portal.Shared.DeviceData.DeviceDataBatch batch)
    {
        if (Portal.Features.DeviceData.DeviceDataRules.Problem(batch) is { } problem)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.DeviceData, problem));
        }

        registry.Heartbeat(DeviceId, null);
        // Over its budget a device gets a smaller acknowledgement: the rest stays in its outbox for the next flush.
        var allowed = limits.TakePoints(DeviceId, batch.Points.Count);
        var taken = batch.Points.Take(allowed).ToList();
        if (allowed < batch.Points.Count)
        {
            rejections.Record(DeviceId, nameof(SendDeviceData),
                $"over {options.Value.Security.AgentLimits.DeviceDataPointsPerMinute} points a minute; {batch.Points.Count - allowed} of {batch.Points.Count} left on the device for later");
        }

        var (now, maxAge) = (clock.GetUtcNow(), TimeSpan.FromDays(options.Value.DeviceData.RawRetentionDays));
        var refused = taken.Select(p => Portal.Features.DeviceData.DeviceDataRules.PointProblem(p, now, maxAge)).ToList();
        if (refused.FirstOrDefault(r => r is not null) is { } reason)
        {
            // Left out, never resent: acknowledged with the others. Logged once per interval with the count.
            rejections.Record(DeviceId, nameof(SendDeviceData), $"{refused.Count(r => r is not null)} of {taken.Count} points left out; the first: {reason}");
        }

        var stored = await deviceData.WriteAsync(DeviceId, batch with { Points = taken.Where((_, i) => refused[i] is null).ToList() }, Context.ConnectionAborted);
        // Every point taken is now stored or refused for good: the device may forget them all.
        return taken.Count == 0 ? stored : Math.Max(stored, taken[^1].Sequence);
    }

    public Task<string> GetReleaseKey() => Task.FromResult(releaseKey.PublicKey);

    public Task<DesiredState> GetDesiredState() => desiredStates.GetAsync(DeviceId, Context.ConnectionAborted);

    public async Task ReportWorkloads(WorkloadReport report)
    {
        if (WorkloadReports.Problem(report) is { } problem)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.WorkloadReport, problem));
        }

        registry.Heartbeat(DeviceId, null);
        await workloadReports.ReceiveAsync(DeviceId, report, Context.ConnectionAborted);
    }

    public async Task ReportInferenceMetrics(InferenceMetricsReport report)
    {
        if (Portal.Features.Models.InferenceMetricsStore.Problem(report) is { } problem)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.InferenceMetrics, problem));
        }

        await inferenceMetrics.ReceiveAsync(DeviceId, report, Context.ConnectionAborted);
    }

    public async Task ReportProfile(ProfileReport report)
    {
        if (Portal.Features.Models.ModelProfiles.Problem(report) is { } problem)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.ProfileReport, problem));
        }

        await profiles.ReceiveAsync(DeviceId, report, Context.ConnectionAborted);
    }

    public async Task ReportAction(DeviceActionReport report)
    {
        if (report is null || string.IsNullOrEmpty(report.ActionId) || report.ActionId.Length > 20
            || report.State is not (DeviceActionState.Running or DeviceActionState.Succeeded or DeviceActionState.Failed)
            || report.Message is null || report.Message.Length > DeviceActionReport.MaxMessageLength)
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.ActionReport,
                $"an action id, a state of Running, Succeeded or Failed, and a message of at most {DeviceActionReport.MaxMessageLength} characters."));
        }

        await actions.ReceiveAsync(DeviceId, report, Context.ConnectionAborted);
    }

    public Task SendLogs(LogChunk chunk)
    {
        if (chunk?.Lines is null || string.IsNullOrEmpty(chunk.Workload) || chunk.Lines.Count > LogChunk.MaxLines || chunk.Lines.Any(l => l?.Text is null || l.Text.Length > 16_384))
        {
            throw new HubException(AgentHubRejections.Message(AgentHubRejections.Logs, $"at most {LogChunk.MaxLines} lines of at most 16 KiB each, for a named workload."));
        }

        logStreams.Receive(DeviceId, chunk);
        return Task.CompletedTask;
    }

    /// <summary>Stamps LastSeenAt and records this instance and connection as the device's; false when the device is gone or revoked.</summary>
    private async Task<bool> ConnectAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = clock.GetUtcNow();
        var (me, connection) = (instance.Id, Context.ConnectionId);
        return await db.Devices.Where(d => d.Id == DeviceId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, now).SetProperty(d => d.ConnectedInstance, me).SetProperty(d => d.ConnectionId, connection)) > 0;
    }

    /// <summary>Stamps LastSeenAt and frees the device's row if this connection still held it; false when it did not.</summary>
    private async Task<bool> DisconnectAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = clock.GetUtcNow();
        var connection = Context.ConnectionId;
        return await db.Devices.Where(d => d.Id == DeviceId && d.ConnectionId == connection)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, now).SetProperty(d => d.ConnectedInstance, (string?)null).SetProperty(d => d.ConnectionId, (string?)null)) > 0;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Device {DeviceId} ({Name}) connected")]
    private static partial void LogConnected(ILogger logger, string deviceId, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Device {DeviceId} ({Name}) disconnected")]
    private static partial void LogDisconnected(ILogger logger, string deviceId, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the queued actions of device {DeviceId}: {Error}")]
    private static partial void LogQueuedActionsFailed(ILogger logger, string deviceId, string error);

}

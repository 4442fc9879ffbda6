using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Devices;

namespace Portal.Features.DeviceActions;

/// <summary>
/// Remote actions asked for by operators: one row per device, sent at once to online devices, queued for offline ones
/// only when the operator asked for that (until it expires), failed at once otherwise, saying so. The request and every
/// outcome are audited. Delivery and answers are <see cref="DeviceActionDelivery"/>'s.
/// </summary>
public sealed class DeviceActionService(
    IDbContextFactory<PortalDbContext> dbFactory,
    Portal.Features.Cluster.FleetPresence presence,
    DeviceActionDelivery delivery,
    Notifier<DeviceActionChanged> changes,
    AuditLog audit,
    Microsoft.Extensions.Options.IOptions<Portal.Configuration.PortalOptions> options,
    TimeProvider clock)
{
    public async Task<OperationResult<IReadOnlyList<DeviceActionDto>>> RequestAsync(DeviceActionRequest? request, AuditActor actor, CancellationToken ct)
    {
        static OperationResult<IReadOnlyList<DeviceActionDto>> Invalid(string problem) => OperationResult<IReadOnlyList<DeviceActionDto>>.Fail(OperationOutcome.Invalid, problem);

        if (request is null || !Enum.IsDefined(request.Kind))
        {
            return Invalid("Say which action to run: RestartAgent, RebootHost, PruneImages or PrePull.");
        }

        var deviceIds = (request.DeviceIds ?? []).Where(d => !string.IsNullOrWhiteSpace(d)).Distinct(StringComparer.Ordinal).ToList();
        if (deviceIds.Count is 0 or > DeviceActionRules.MaxDevices)
        {
            return Invalid($"Choose between 1 and {DeviceActionRules.MaxDevices} devices.");
        }

        if (request.QueueUntilOnline && request.ExpiresInMinutes is < 1 or > DeviceActionRules.MaxExpiresInMinutes)
        {
            return Invalid($"A queued action expires after 1 to {DeviceActionRules.MaxExpiresInMinutes} minutes (a week); {request.ExpiresInMinutes} is out of range.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (request.Kind == DeviceActionKind.PrePull && await DeviceActionDelivery.PrePullProblemAsync(db, request.DeploymentId, ct) is { } problem)
        {
            return Invalid(problem);
        }

        var devices = await db.Devices.AsNoTracking().Where(d => deviceIds.Contains(d.Id) && d.RevokedAt == null)
            .Select(d => new { d.Id, d.Name, d.Inventory }).ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, ct);
        if (deviceIds.FirstOrDefault(d => !devices.ContainsKey(d)) is { } unknown)
        {
            return Invalid($"There is no active device with the id {unknown}.");
        }

        var now = clock.GetUtcNow();
        var approval = DeviceActionRules.ApprovalNeeded(options.Value.Approvals, deviceIds.Count);
        var batch = approval is null ? null : Guid.NewGuid().ToString("N");
        var rows = deviceIds.Select(id =>
        {
            var device = devices[id];
            var row = new DeviceAction
            {
                DeviceId = id, Kind = request.Kind, State = DeviceActionState.Queued, RequestedBy = actor.Name, RequestedAt = now,
                DeploymentId = request.Kind == DeviceActionKind.PrePull ? request.DeploymentId : null,
            };
            var version = Portal.Features.Deployments.DeploymentChecks.AgentVersion(device.Inventory?.AgentVersion);
            if (version is not null && version < DeviceActionRules.MinimumAgent)
            {
                Fail(row, $"The agent on {device.Name} is version {device.Inventory!.AgentVersion}; remote actions need {DeviceActionRules.MinimumAgent} or newer.", now);
            }
            else if (approval is not null)
            {
                // Whether it is online, queued or failed is decided when it is approved.
                (row.State, row.Message, row.BatchId) = (DeviceActionState.AwaitingApproval, approval, batch);
                row.QueueMinutes = request.QueueUntilOnline ? request.ExpiresInMinutes : null;
            }
            else if (!presence.IsOnline(id) && !request.QueueUntilOnline)
            {
                Fail(row, $"{device.Name} is offline. Ask again with 'Queue until online' to run it when the device returns.", now);
            }
            else if (!presence.IsOnline(id))
            {
                row.ExpiresAt = now.AddMinutes(request.ExpiresInMinutes);
                row.Message = $"Waiting for {device.Name} to come online.";
            }

            return row;
        }).ToList();
        db.DeviceActions.AddRange(rows);
        await db.SaveChangesAsync(ct);

        var names = rows.Select(r => devices[r.DeviceId].Name).Order(StringComparer.Ordinal).ToList();
        await audit.RecordAsync(actor, AuditActions.DeviceActionRequested, rows.Count == 1 ? AuditTargets.Device(rows[0].DeviceId) : null,
            rows.Count == 1 ? names[0] : $"{rows.Count} devices",
            detail: $"{DeviceActionRules.Title(request.Kind)}{(request.DeploymentId is { } d && request.Kind == DeviceActionKind.PrePull ? $" of deployment {d}" : "")}"
                + $"{(request.QueueUntilOnline ? $", queued until online for {request.ExpiresInMinutes} min" : "")}{(approval is null ? "" : ", awaiting approval")}; devices: {string.Join(", ", names.Take(50))}{(names.Count > 50 ? ", …" : "")}",
            ct: ct);
        foreach (var row in rows.Where(r => r.State == DeviceActionState.Failed))
        {
            await delivery.AuditOutcomeAsync(row, devices[row.DeviceId].Name, ct);
        }

        foreach (var id in rows.Select(r => r.DeviceId).Distinct(StringComparer.Ordinal))
        {
            changes.Publish(new DeviceActionChanged(id));
        }

        // Online devices get theirs now; the delivery marks each one Sent, or Failed when the device went away meanwhile.
        foreach (var row in rows.Where(r => r.State == DeviceActionState.Queued && r.ExpiresAt is null))
        {
            await delivery.SendAsync(row.Id, ct);
        }

        var ids = rows.Select(r => r.Id).ToList();
        var stored = await db.DeviceActions.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        return OperationResult<IReadOnlyList<DeviceActionDto>>.Ok(stored.OrderBy(r => r.Id).Select(r => Dto(r, devices[r.DeviceId].Name)).ToList());
    }

    /// <summary>
    /// Another admin's decision on a request that waits for approval: approved, each device's row goes as if asked for
    /// now (sent if online, queued if the request asked for it, else failed as offline); rejected, none runs. The admin
    /// who asked cannot decide it. Audited.
    /// </summary>
    public async Task<OperationResult<IReadOnlyList<DeviceActionDto>>> DecideAsync(string batchId, bool approve, AuditActor actor, CancellationToken ct)
    {
        static OperationResult<IReadOnlyList<DeviceActionDto>> Fail(OperationOutcome outcome, string problem) => OperationResult<IReadOnlyList<DeviceActionDto>>.Fail(outcome, problem);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DeviceActions.Where(a => a.BatchId == batchId).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return Fail(OperationOutcome.NotFound, "There is no such request for actions.");
        }

        var kind = DeviceActionRules.Title(rows[0].Kind);
        var waiting = rows.Where(r => r.State == DeviceActionState.AwaitingApproval).ToList();
        if (waiting.Count == 0)
        {
            return Fail(OperationOutcome.Conflict, $"This request ({kind} on {rows.Count} devices) was decided already.");
        }

        if (string.Equals(rows[0].RequestedBy, actor.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(OperationOutcome.Forbidden, $"You asked for {kind} on {rows.Count} devices: another admin must {(approve ? "approve" : "reject")} it.");
        }

        var now = clock.GetUtcNow();
        var verdict = $"{(approve ? "Approved" : "Rejected")} by {actor.Name}.";
        foreach (var row in waiting)
        {
            var online = presence.IsOnline(row.DeviceId);
            (row.State, row.Message, row.FinishedAt, row.ExpiresAt) = (approve, online, row.QueueMinutes) switch
            {
                (false, _, _) => (DeviceActionState.Rejected, verdict, now, null),
                (true, true, _) => (DeviceActionState.Queued, verdict, (DateTimeOffset?)null, (DateTimeOffset?)null),
                (true, false, { } minutes) => (DeviceActionState.Queued, $"{verdict} Waiting for the device to come online.", null, now.AddMinutes(minutes)),
                (true, false, null) => (DeviceActionState.Failed, $"{verdict} The device is offline, and the request did not ask to queue it.", now, null),
            };
        }

        // Claimed in the transaction that stores the decision: of two admins deciding at the same moment, one wins.
        var ids = waiting.Select(r => r.Id).ToList();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var claimed = await db.DeviceActions.Where(a => ids.Contains(a.Id) && a.State == DeviceActionState.AwaitingApproval)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.BatchId, batchId), ct);
            if (claimed != waiting.Count)
            {
                return Fail(OperationOutcome.Conflict, "Another admin decided this request at the same moment; look at it again.");
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        var names = await db.Devices.AsNoTracking().Where(d => rows.Select(r => r.DeviceId).Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        await audit.RecordAsync(actor, approve ? AuditActions.DeviceActionApproved : AuditActions.DeviceActionRejected, null, $"{rows.Count} devices",
            detail: $"{kind} requested by {rows[0].RequestedBy}; devices: {string.Join(", ", names.Values.Order(StringComparer.Ordinal).Take(50))}", ct: ct);
        foreach (var row in waiting.Where(r => DeviceActionRules.IsFinished(r.State)))
        {
            await delivery.AuditOutcomeAsync(row, names.GetValueOrDefault(row.DeviceId) ?? row.DeviceId, ct);
        }

        foreach (var row in waiting.Where(r => r.State == DeviceActionState.Queued && r.ExpiresAt is null))
        {
            await delivery.SendAsync(row.Id, ct);
        }

        foreach (var id in waiting.Select(r => r.DeviceId).Distinct(StringComparer.Ordinal))
        {
            changes.Publish(new DeviceActionChanged(id));
        }

        var stored = await db.DeviceActions.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(ct);
        return OperationResult<IReadOnlyList<DeviceActionDto>>.Ok(stored.Select(r => Dto(r, names.GetValueOrDefault(r.DeviceId) ?? r.DeviceId)).ToList());
    }

    /// <summary>The latest actions, newest first: one device's, or the whole fleet's.</summary>
    public async Task<IReadOnlyList<DeviceActionDto>> ListAsync(string? deviceId, int count, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.DeviceActions.AsNoTracking();
        if (deviceId is not null)
        {
            query = query.Where(a => a.DeviceId == deviceId);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(Math.Clamp(count, 1, 500)).ToListAsync(ct);
        var ids = rows.Select(r => r.DeviceId).Distinct().ToList();
        var names = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return rows.Select(r => Dto(r, names.GetValueOrDefault(r.DeviceId) ?? r.DeviceId)).ToList();
    }

    /// <summary>App deployments (containers and stacks) whose images can be pre-pulled, newest first: id and a label for a picker.</summary>
    public async Task<IReadOnlyList<(string Id, string Label)>> PrePullChoicesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Deployments.AsNoTracking().Where(d => d.State != Portal.Shared.Deployments.DeploymentState.RolledBack)
            .OrderByDescending(d => d.CreatedAt).Take(200).ToListAsync(ct);
        return rows.Where(d => d.Kind == Portal.Shared.Deployments.DeploymentKind.App)
            .Select(d => (d.Id, $"{d.Name} ({d.SourceName} {d.Version}, {d.State})")).ToList();
    }

    public static DeviceActionDto Dto(DeviceAction a, string deviceName) =>
        new(a.Id, a.DeviceId, deviceName, a.Kind, a.State, a.DeploymentId, a.Message, a.BatchId, a.RequestedBy, a.RequestedAt, a.ExpiresAt, a.SentAt, a.FinishedAt);

    private static void Fail(DeviceAction row, string message, DateTimeOffset now)
    {
        row.State = DeviceActionState.Failed;
        row.Message = message;
        row.FinishedAt = now;
    }
}

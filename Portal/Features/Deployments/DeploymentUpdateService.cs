using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Groups;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Updates in place: another version, other parameters, targets or strategy become the deployment's next revision,
/// which the <see cref="RolloutService"/> rolls out with the deployment's strategy. A preview says the same without
/// changing anything; devices that would lose the workload lose it only when the request confirms it.
/// </summary>
public sealed class DeploymentUpdateService(
    IDbContextFactory<PortalDbContext> dbFactory,
    GroupService groups,
    WorkloadSources sources,
    RolloutSignal signal,
    Notifier<DeploymentChanged> changes,
    AuditLog audit,
    DeploymentGate gate,
    TimeProvider clock)
{
    public async Task<OperationResult<DeploymentUpdatePreview>> PreviewAsync(string id, UpdateDeploymentRequest? request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.AsNoTracking().Include(d => d.Targets).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deployment is null)
        {
            return OperationResult<DeploymentUpdatePreview>.Fail(OperationOutcome.NotFound, "There is no such deployment.");
        }

        var planned = await PlanAsync(db, deployment, request, cancellationToken);
        if (!planned.Succeeded)
        {
            return OperationResult<DeploymentUpdatePreview>.Fail(planned.Outcome, planned.Error!);
        }

        var plan = planned.Value!;
        var names = await NamesAsync(db, plan.Devices, cancellationToken);
        List<PreviewDevice> Named(IReadOnlyList<string> ids) =>
            ids.Select(i => new PreviewDevice(i, names.GetValueOrDefault(i, i))).OrderBy(d => d.DeviceName, StringComparer.OrdinalIgnoreCase).ToList();
        return OperationResult<DeploymentUpdatePreview>.Ok(new DeploymentUpdatePreview(
            deployment.Id, DeploymentRevisions.Current(deployment) + 1, plan.Changes,
            Named(plan.Devices.Receive), Named(plan.Devices.Update), Named(plan.Devices.Unchanged), Named(plan.Devices.Lose),
            UpdateDescriptions.Summary(plan, names)));
    }

    public async Task<OperationResult<DeploymentDto>> UpdateAsync(string id, UpdateDeploymentRequest? request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        // The rollout service steps deployments every few seconds: a step stored between reading and writing makes the
        // write stale; decide again from fresh state a few times before telling the operator.
        for (var attempt = 1; ; attempt++)
        {
            var result = await TryUpdateAsync(id, request, actor, cancellationToken);
            if (result is not null || attempt == 3)
            {
                return result ?? OperationResult<DeploymentDto>.Fail(OperationOutcome.Conflict, "The deployment changed at the same moment; look at it again and retry.");
            }
        }
    }

    /// <returns>Null when the deployment changed meanwhile.</returns>
    private async Task<OperationResult<DeploymentDto>?> TryUpdateAsync(string id, UpdateDeploymentRequest? request, AuditActor actor, CancellationToken cancellationToken)
    {
        static OperationResult<DeploymentDto> Fail(OperationOutcome outcome, string problem) => OperationResult<DeploymentDto>.Fail(outcome, problem);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.Include(d => d.Targets).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deployment is null)
        {
            return Fail(OperationOutcome.NotFound, "There is no such deployment.");
        }

        var planned = await PlanAsync(db, deployment, request, cancellationToken);
        if (!planned.Succeeded)
        {
            return Fail(planned.Outcome, planned.Error!);
        }

        var plan = planned.Value!;
        if (plan.ChangesNothing)
        {
            return Fail(OperationOutcome.Conflict, "This update changes nothing: it names the same version, parameters, targets and strategy the deployment has.");
        }

        var names = await NamesAsync(db, plan.Devices, cancellationToken);
        if (plan.Devices.Lose.Count > 0 && request?.ConfirmRemovals != true)
        {
            return Fail(OperationOutcome.Conflict, $"This update removes {deployment.SourceName} from {UpdateDescriptions.Devices(plan.Devices.Lose, names)}: " +
                "they are no longer targeted. Preview it, then send confirmRemovals: true to go ahead.");
        }

        var now = clock.GetUtcNow();
        var revision = DeploymentRevisions.Current(deployment) + 1;
        var what = $"Revision {revision} by {actor.Name}: {string.Join("; ", plan.Changes)}";
        DeploymentRevisions.Begin(deployment, plan.Next, plan.WorkloadChanged, now, what);
        // Checked on the revision as it would run (nothing is saved on a refusal): a new reference must exist everywhere.
        if (await gate.MissingConfigAsync(deployment, cancellationToken) is { } missing)
        {
            return Fail(OperationOutcome.Conflict, $"This update references configuration some targets lack: {missing}");
        }

        deployment.ConcurrencyStamp++;
        db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = id, At = now, Message = what.Length > 1000 ? what[..1000] : what });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }

        var removed = plan.Devices.Lose.Count == 0 ? "" : $"; removed from {UpdateDescriptions.Devices(plan.Devices.Lose, names)}";
        await audit.RecordAsync(actor, AuditActions.DeploymentUpdated, AuditTargets.Deployment(id), deployment.Name,
            detail: $"revision {revision}: {string.Join("; ", plan.Changes)}{removed}", ct: cancellationToken);
        signal.Wake();
        changes.Publish(new DeploymentChanged(id));
        return OperationResult<DeploymentDto>.Ok(DeploymentMapper.ToDto(deployment, null, null));
    }

    private async Task<OperationResult<DeploymentUpdatePlan>> PlanAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest? request, CancellationToken ct)
    {
        static OperationResult<DeploymentUpdatePlan> Fail(OperationOutcome outcome, string problem) => OperationResult<DeploymentUpdatePlan>.Fail(outcome, problem);

        if (request is null)
        {
            return Fail(OperationOutcome.Invalid, "Say what to change: version (or modelVersion), parameters, groupIds, deviceIds or strategy.");
        }

        if (d.State is DeploymentState.RolledBack or DeploymentState.Superseded)
        {
            return Fail(OperationOutcome.Conflict, d.State == DeploymentState.RolledBack
                ? $"{d.Name} was rolled back and runs nowhere: deploy the version you want as a new deployment."
                : $"{d.Name} is superseded ({d.StateReason}): update the deployment that replaced it.");
        }

        if (request.Strategy is { } strategy && strategy.Problem() is { } strategyProblem)
        {
            return Fail(OperationOutcome.Invalid, strategyProblem);
        }

        var workload = await sources.For(d.Kind).UpdateAsync(db, d, request, ct);
        if (!workload.Succeeded)
        {
            return Fail(workload.Outcome, workload.Error!);
        }

        var (groupIds, deviceIds) = (d.GroupIds, d.DeviceIds);
        if (request.GroupIds is not null || request.DeviceIds is not null)
        {
            var targets = new CreateDeploymentRequest(null, null, GroupIds: request.GroupIds ?? d.GroupIds, DeviceIds: request.DeviceIds ?? d.DeviceIds);
            var (g, dev, problem) = await DeploymentService.TargetsAsync(db, targets, ct);
            if (problem is not null)
            {
                return Fail(OperationOutcome.Invalid, problem);
            }

            (groupIds, deviceIds) = (g, dev);
        }

        var next = workload.Value!.Next with { GroupIds = groupIds, DeviceIds = deviceIds, Strategy = request.Strategy ?? d.Strategy };
        var memberships = (await groups.ListAsync(ct)).ToDictionary(g => g.Id, g => g.Members.Select(m => m.DeviceId).ToList(), StringComparer.Ordinal);
        var active = (await db.Devices.Where(x => x.RevokedAt == null).Select(x => x.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var devices = TargetChanges.Between(d.Targets.Select(t => t.DeviceId), TargetChanges.Resolve(groupIds, deviceIds, memberships, active), workload.Value.Changed);
        var groupNames = await groups.DisplayNamesAsync([.. d.GroupIds.Union(groupIds)], ct);
        var deviceNames = await db.Devices.Where(x => d.DeviceIds.Contains(x.Id) || deviceIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var described = UpdateDescriptions.Changes(d, next, workload.Value.Changes, groupNames, deviceNames);
        return OperationResult<DeploymentUpdatePlan>.Ok(new DeploymentUpdatePlan(next, workload.Value.Changed, described, devices));
    }

    private static async Task<Dictionary<string, string>> NamesAsync(PortalDbContext db, TargetChanges devices, CancellationToken ct)
    {
        var ids = devices.Receive.Concat(devices.Update).Concat(devices.Unchanged).Concat(devices.Lose).ToList();
        return await db.Devices.Where(x => ids.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, StringComparer.Ordinal, ct);
    }
}

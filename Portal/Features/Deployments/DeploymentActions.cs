using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>An operator's pause, resume, abort, rollback and delete. Each is a state change the rollout service then acts on.</summary>
public sealed class DeploymentActions(
    IDbContextFactory<PortalDbContext> dbFactory,
    RolloutSignal signal,
    Notifier<DeploymentChanged> changes,
    AuditLog audit,
    TimeProvider clock)
{
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Abort = "abort";
    public const string Rollback = "rollback";

    public static readonly string[] All = [Pause, Resume, Abort, Rollback];

    /// <summary>
    /// Runs the action. A rollout step that stores the same deployment at the same moment makes the write stale: the
    /// action is decided again on what is stored now (a few times) instead of answering the operator with a conflict.
    /// </summary>
    public async Task<OperationResult<DeploymentState>> RunAsync(string id, string action, AuditActor actor, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryRunAsync(id, action, actor, cancellationToken) is { } result)
            {
                return result;
            }

            if (attempt == 5)
            {
                return OperationResult<DeploymentState>.Fail(OperationOutcome.Conflict, "The deployment kept changing at the same moment; look at it again and retry.");
            }
        }
    }

    /// <summary>Null when the write was stale.</summary>
    private async Task<OperationResult<DeploymentState>?> TryRunAsync(string id, string action, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.Include(d => d.Targets).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deployment is null)
        {
            return OperationResult<DeploymentState>.Fail(OperationOutcome.NotFound, "There is no such deployment.");
        }

        var from = deployment.State;
        DeploymentState? to = (action, from) switch
        {
            (Pause, DeploymentState.InProgress) => DeploymentState.Paused,
            (Resume, DeploymentState.Paused) => DeploymentState.InProgress,
            (Abort, DeploymentState.InProgress or DeploymentState.Paused) => DeploymentState.Aborted,
            (Rollback, not DeploymentState.RolledBack) => DeploymentState.RolledBack,
            _ => null,
        };
        if (!All.Contains(action))
        {
            return OperationResult<DeploymentState>.Fail(OperationOutcome.NotFound, $"There is no action '{action}'; use pause, resume, abort or rollback.");
        }

        if (to is null)
        {
            return OperationResult<DeploymentState>.Fail(OperationOutcome.Conflict, $"A deployment that is {from} cannot {action}.");
        }

        var now = clock.GetUtcNow();
        if (action == Resume)
        {
            deployment.FailuresAccepted = deployment.Targets.Count(t => t.State == DeviceRolloutState.Failed);
        }

        if (to == DeploymentState.RolledBack && DeploymentRevisions.CanRevert(deployment))
        {
            // An updated deployment goes back to its previous revision instead of off every device.
            var reason = DeploymentRevisions.Revert(deployment, now, $"by {actor.Name}");
            to = deployment.State;
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = id, At = now, Message = reason });
        }
        else
        {
            if (to == DeploymentState.RolledBack)
            {
                foreach (var target in deployment.Targets)
                {
                    (target.State, target.Reason, target.UpdatedAt) = (DeviceRolloutState.RolledBack, null, now);
                }
            }

            (deployment.State, deployment.StateReason, deployment.UpdatedAt) = (to.Value, $"{Past(action)} by {actor.Name}", now);
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = id, At = now, Message = $"{Past(action)} by {actor.Name}" });
        }

        if (action == Rollback && deployment.State != DeploymentState.RolledBack)
        {
            DeploymentFleetEvents.Reverted(db, deployment, actor.Name, now);
        }
        else
        {
            DeploymentFleetEvents.StateChanged(db, deployment, from, actor.Name, now);
        }

        deployment.ConcurrencyStamp++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }

        var detail = deployment.Previous is { RolledBack: true } failed && deployment.Revision == failed.Revision + 1 && action == Rollback
            ? deployment.StateReason
            : $"{from} → {to.Value}";
        await audit.RecordAsync(actor, ActionName(action), AuditTargets.Deployment(id), deployment.Name, detail: detail, ct: cancellationToken);
        signal.Wake();
        changes.Publish(new DeploymentChanged(id));
        return OperationResult<DeploymentState>.Ok(to.Value);
    }

    /// <summary>Deletes the deployment; the next rollout step removes its workloads from every device.</summary>
    public async Task<OperationResult<bool>> DeleteAsync(string id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Deployments.Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        var deleted = await db.Deployments.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, "There is no such deployment.");
        }

        await db.DeploymentTargets.Where(t => t.DeploymentId == id).ExecuteDeleteAsync(cancellationToken);
        await db.DeploymentEvents.Where(e => e.DeploymentId == id).ExecuteDeleteAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.DeploymentDeleted, AuditTargets.Deployment(id), name, ct: cancellationToken);
        signal.Wake();
        changes.Publish(new DeploymentChanged(id));
        return OperationResult<bool>.Ok(true);
    }

    private static string ActionName(string action) => action switch
    {
        Pause => AuditActions.DeploymentPaused,
        Resume => AuditActions.DeploymentResumed,
        Abort => AuditActions.DeploymentAborted,
        _ => AuditActions.DeploymentRolledBack,
    };

    private static string Past(string action) => action switch
    {
        Pause => "Paused",
        Resume => "Resumed",
        Abort => "Aborted",
        _ => "Rolled back",
    };
}

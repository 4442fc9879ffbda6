using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// A second admin's decision on a deployment that waits for approval (<see cref="Approvals"/>): approved, it starts
/// rolling out; rejected, it is aborted and releases nothing. The admin who asked for it cannot decide it. Audited.
/// </summary>
public sealed class DeploymentApprovals(
    IDbContextFactory<PortalDbContext> dbFactory, RolloutSignal signal, Notifier<DeploymentChanged> changes, AuditLog audit, TimeProvider clock)
{
    public async Task<OperationResult<DeploymentState>> DecideAsync(string id, bool approve, string? note, AuditActor actor, CancellationToken ct = default)
    {
        static OperationResult<DeploymentState> Fail(OperationOutcome outcome, string problem) => OperationResult<DeploymentState>.Fail(outcome, problem);

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 500 } || PlainText.Problem(note, "note") is not null)
        {
            return Fail(OperationOutcome.Invalid, note is { Length: > 500 } ? "The note can be at most 500 characters." : PlainText.Problem(note, "note")!);
        }

        // The rollout loop may touch the deployment at the same moment (its targets are resolved while it waits): that
        // conflict is ours, not another admin's, so the decision is read and made again; a real decision by someone
        // else shows as a state that no longer awaits approval.
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var deployment = await db.Deployments.FirstOrDefaultAsync(d => d.Id == id, ct);
            if (deployment is null)
            {
                return Fail(OperationOutcome.NotFound, "There is no such deployment.");
            }

            if (deployment.State != DeploymentState.AwaitingApproval)
            {
                return Fail(OperationOutcome.Conflict, $"Deployment '{deployment.Name}' is {deployment.State}: only a deployment awaiting approval can be approved or rejected.");
            }

            if (string.Equals(deployment.CreatedBy, actor.Name, StringComparison.OrdinalIgnoreCase))
            {
                return Fail(OperationOutcome.Forbidden, $"You asked for '{deployment.Name}': another admin must {(approve ? "approve" : "reject")} it (you can delete it instead).");
            }

            var now = clock.GetUtcNow();
            var verdict = $"{(approve ? "Approved" : "Rejected")} by {actor.Name}{(note is null ? "" : $": {note}")}";
            (deployment.State, deployment.StateReason, deployment.UpdatedAt) = approve ? (DeploymentState.InProgress, null, now) : (DeploymentState.Aborted, verdict, now);
            deployment.ConcurrencyStamp++;
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = id, At = now, Message = verdict });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                return Fail(OperationOutcome.Conflict, "The deployment kept changing while it was being decided; look at it again.");
            }

            return await RecordedAsync(deployment, approve, note, actor, ct);
        }
    }

    private async Task<OperationResult<DeploymentState>> RecordedAsync(Deployment deployment, bool approve, string? note, AuditActor actor, CancellationToken ct)
    {
        var id = deployment.Id;
        await audit.RecordAsync(actor, approve ? AuditActions.DeploymentApproved : AuditActions.DeploymentRejected, AuditTargets.Deployment(id), deployment.Name,
            detail: $"requested by {deployment.CreatedBy}{(note is null ? "" : $"; note: {note}")}", ct: ct);
        signal.Wake();
        changes.Publish(new DeploymentChanged(id));
        return OperationResult<DeploymentState>.Ok(deployment.State);
    }
}

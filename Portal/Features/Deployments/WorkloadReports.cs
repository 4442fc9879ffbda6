using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>Published when a device reports its workloads, for the device page.</summary>
public sealed record WorkloadsReported(string DeviceId);

/// <summary>
/// Takes an agent's workload report: stores it as the device's last report and moves each released deployment
/// target to the state its workload reports.
/// </summary>
public sealed class WorkloadReports(
    IDbContextFactory<PortalDbContext> dbFactory,
    RolloutSignal signal,
    Notifier<DeploymentChanged> deploymentChanges,
    Notifier<WorkloadsReported> reports,
    TimeProvider clock)
{
    public const int MaxWorkloads = 200;

    public static string? Problem(WorkloadReport? report) =>
        report?.Workloads is null ? "The report is empty."
        : report.Workloads.Count > MaxWorkloads ? $"At most {MaxWorkloads} workloads per report."
        : report.Workloads.FirstOrDefault(w => w is null || string.IsNullOrEmpty(w.Name) || w.Name.Length > 64 || (w.DeploymentId?.Length ?? 0) > 64
            || (w.Image?.Length ?? 0) > 500 || !Enum.IsDefined(w.State) || w.ProgressPercent is < 0 or > 100
            || !PlainText.IsClean(w.Name) || !PlainText.IsClean(w.DeploymentId) || !PlainText.IsClean(w.Image) || !PlainText.IsClean(w.SpecHash)
            || (w.Flow is { } flow && FlowProblem(flow))) is { } bad
            ? $"Workload '{PlainText.Neutralize(bad?.Name)}' is malformed."
        : null;

    /// <summary>A flow status too big or garbled to keep (its steps are bounded by what a valid flow can have).</summary>
    private static bool FlowProblem(Portal.Shared.DataFlows.DataFlowStatus flow) =>
        flow.Steps is null || flow.Steps.Count > Portal.Shared.DataFlows.FlowStepStatus.MaxSteps
        || flow.Steps.Any(s => s is null || string.IsNullOrEmpty(s.Step) || s.Step.Length > 300 || !PlainText.IsClean(s.Step)
            || (s.LastError?.Length ?? 0) > Portal.Shared.DataFlows.FlowStepStatus.MaxErrorLength + 1);

    private static string? Clean(string? reason) => PlainText.IsClean(reason, multiline: true) ? reason : PlainText.Neutralize(reason);

    /// <summary>
    /// A device's first report finds no row: it is created on its own, so that when the rollout loop creates the same
    /// row at the same moment (a UNIQUE conflict) the report still lands, on the row the other one made.
    /// </summary>
    private async Task EnsureRowAsync(string deviceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.DesiredStates.AnyAsync(d => d.DeviceId == deviceId, cancellationToken))
        {
            return;
        }

        db.DesiredStates.Add(new DeviceDesiredState { DeviceId = deviceId, UpdatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Made meanwhile by the rollout loop: the report goes onto that row. Anything else is a real failure.
            if (!await RowExistsAsync(deviceId, cancellationToken))
            {
                throw;
            }
        }
    }

    private async Task<bool> RowExistsAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DesiredStates.AnyAsync(d => d.DeviceId == deviceId, cancellationToken);
    }

    public async Task ReceiveAsync(string deviceId, WorkloadReport report, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // A reason is the engine's own text: kept (cut to 1000 characters), with characters that cannot be stored or shown replaced.
        var workloads = report.Workloads.Select(w => w with
        {
            Reason = Clean(w.Reason is { Length: > 1000 } r ? r[..1000] : w.Reason),
            Flow = w.Flow is { } f ? f with { Steps = [.. f.Steps.Select(step => step with { LastError = Clean(step.LastError) })] } : null,
        }).ToList();
        await EnsureRowAsync(deviceId, now, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.DesiredStates.FirstAsync(d => d.DeviceId == deviceId, cancellationToken);
        (row.Reported, row.ReportedRevision, row.ReportedAt) = (workloads, report.Revision, now);

        var deploymentIds = workloads.Select(w => w.DeploymentId).Distinct().ToList();
        var live = await db.Deployments.Where(d => deploymentIds.Contains(d.Id) && d.State != DeploymentState.RolledBack).Select(d => d.Id).ToListAsync(cancellationToken);
        var targets = await db.DeploymentTargets
            .Where(t => t.DeviceId == deviceId && t.ReleasedAt != null && live.Contains(t.DeploymentId)).ToListAsync(cancellationToken);
        var expected = await RevisionHashes.OfUpdatedAsync(db, targets.Select(t => t.DeploymentId), cancellationToken);
        var changed = new List<string>();
        foreach (var target in targets)
        {
            var status = workloads.FirstOrDefault(w => w.DeploymentId == target.DeploymentId);
            // A report sent before the device switched to the newer deployment says nothing about this one any more.
            if (status is null || target.State == DeviceRolloutState.Superseded)
            {
                continue;
            }

            // An updated deployment: only a report of the revision the device was released to counts (the container
            // of the revision before reports Running until the device applies the new one).
            if (expected.TryGetValue(target.DeploymentId, out var revision)
                && (Math.Max(1, target.Revision) != revision.Number || status.SpecHash != revision.SpecHash))
            {
                continue;
            }

            var state = status.State switch
            {
                WorkloadState.Running or WorkloadState.Ready => DeviceRolloutState.Running,
                WorkloadState.Downloading => DeviceRolloutState.Pulling,
                WorkloadState.Verifying or WorkloadState.Loading => DeviceRolloutState.Starting,
                WorkloadState.Failed or WorkloadState.Stopped => DeviceRolloutState.Failed,
                WorkloadState.Pulling => DeviceRolloutState.Pulling,
                WorkloadState.Starting => DeviceRolloutState.Starting,
                _ => DeviceRolloutState.Pending,
            };
            // A device that was judged (timed out, failed) goes back only to a verdict, never to "in progress".
            if (RolloutPlanner.IsTerminal(target.State) && !RolloutPlanner.IsTerminal(state))
            {
                continue;
            }

            if (target.State != state || target.Reason != status.Reason || target.ProgressPercent != status.ProgressPercent)
            {
                (target.State, target.Reason, target.ProgressPercent, target.UpdatedAt) = (state, status.Reason, status.ProgressPercent, now);
                changed.Add(target.DeploymentId);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        reports.Publish(new WorkloadsReported(deviceId));
        if (changed.Count > 0)
        {
            signal.Wake();
            changed.ForEach(id => deploymentChanges.Publish(new DeploymentChanged(id)));
        }
    }
}

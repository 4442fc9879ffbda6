using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Alerts;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Alerts;

/// <summary>
/// The rules judged from the fleet's present state on the portal's clock (not from a stream): devices offline, workloads
/// not running, deployments paused or failed. One query per rule and pass.
/// </summary>
internal static class SnapshotSources
{
    private static readonly DeploymentState[] Failing =
        [DeploymentState.Paused, DeploymentState.Failed, DeploymentState.Aborted, DeploymentState.CompletedWithFailures];

    public static async Task<IReadOnlyList<SubjectObservation>> ObserveAsync(PortalDbContext db, AlertRule rule, AlertScope scope, IReadOnlyCollection<string> openSubjects, CancellationToken ct) =>
        rule.Kind switch
        {
            AlertRuleKind.DeviceOffline => await OfflineAsync(db, rule, scope, ct),
            AlertRuleKind.Workload => await WorkloadsAsync(db, rule, scope, ct),
            AlertRuleKind.Deployment => await DeploymentsAsync(db, rule, scope, openSubjects, ct),
            AlertRuleKind.ModelDrift => await DriftAsync(db, rule, scope, ct),
            AlertRuleKind.ModelMetric => await ModelMetricAsync(db, rule, scope, ct),
            _ => [],
        };

    private static async Task<IReadOnlyList<SubjectObservation>> OfflineAsync(PortalDbContext db, AlertRule rule, AlertScope scope, CancellationToken ct)
    {
        var devices = await db.Devices.AsNoTracking().Where(d => d.RevokedAt == null)
            .Select(d => new { d.Id, d.Name, d.ConnectedInstance, d.LastSeenAt, d.EnrolledAt }).ToListAsync(ct);
        return devices.Where(d => scope.Covers(rule, d.Id)).Select(d =>
        {
            var since = d.LastSeenAt ?? d.EnrolledAt;
            var offline = d.ConnectedInstance is null;
            var seconds = offline ? Math.Max(0, (scope.Now - since).TotalSeconds) : 0;
            return new SubjectObservation("device", d.Id, d.Name, d.Id,
                new Observation(scope.Now, seconds, offline ? Judgement.Breached : Judgement.Clear, offline ? since : null),
                offline ? $"offline since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "online");
        }).ToList();
    }

    private static async Task<IReadOnlyList<SubjectObservation>> WorkloadsAsync(PortalDbContext db, AlertRule rule, AlertScope scope, CancellationToken ct)
    {
        var devices = await db.Devices.AsNoTracking().Where(d => d.RevokedAt == null)
            .Select(d => new { d.Id, d.Name, Online = d.ConnectedInstance != null }).ToListAsync(ct);
        var covered = devices.Where(d => scope.Covers(rule, d.Id)).ToList();
        var ids = covered.Select(d => d.Id).ToList();
        var reported = await db.DesiredStates.AsNoTracking().Where(s => ids.Contains(s.DeviceId))
            .Select(s => new { s.DeviceId, s.Reported }).ToListAsync(ct);
        var byDevice = reported.ToDictionary(r => r.DeviceId, r => r.Reported, StringComparer.Ordinal);
        return covered.Select(d =>
        {
            if (!d.Online)
            {
                // An offline device's last report is stale: its workloads' alerts stay as they are (an offline rule covers it).
                return new SubjectObservation("device", d.Id, d.Name, d.Id, null, "");
            }

            var workloads = byDevice.GetValueOrDefault(d.Id, []);
            var down = workloads.Where(w => w.State is not (WorkloadState.Running or WorkloadState.Ready)).ToList();
            // A threshold above 0 also counts a workload restarted that many times or more as failing ("restarting repeatedly").
            var restarting = rule.Threshold > 0 ? workloads.Where(w => !down.Contains(w) && w.RestartCount >= rule.Threshold).ToList() : [];
            var summary = down.Count + restarting.Count == 0 ? "all workloads running"
                : string.Join("; ", down.Take(5).Select(w => $"{w.Name} {w.State}{(w.Reason is { Length: > 0 } r ? $" ({r})" : "")}")
                    .Concat(restarting.Take(5).Select(w => $"{w.Name} restarted {w.RestartCount} times")));
            var count = down.Count + restarting.Count;
            return new SubjectObservation("device", d.Id, d.Name, d.Id,
                new Observation(scope.Now, count, count > 0 ? Judgement.Breached : Judgement.Clear), count == 0 ? summary : $"{count} workload(s) not well: {summary}");
        }).ToList();
    }

    /// <summary>Each device's latest drift point of the model in the last day, judged at its own time.</summary>
    private static async Task<IReadOnlyList<SubjectObservation>> DriftAsync(PortalDbContext db, AlertRule rule, AlertScope scope, CancellationToken ct)
    {
        var since = scope.Now - TimeSpan.FromDays(1);
        var points = await db.ModelDriftPoints.AsNoTracking().Where(p => p.Model == rule.Model && p.At >= since)
            .GroupBy(p => p.DeviceId).Select(g => g.OrderByDescending(p => p.At).First()).ToListAsync(ct);
        var ids = points.Select(p => p.DeviceId).ToList();
        var names = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return points.Where(p => scope.Covers(rule, p.DeviceId)).Select(p => new SubjectObservation("device", p.DeviceId, names.GetValueOrDefault(p.DeviceId, p.DeviceId), p.DeviceId,
            new Observation(p.At, p.MaxPsi, AlertStateMachine.Judge(p.MaxPsi, rule.Comparison, rule.Threshold, rule.ClearThreshold)),
            $"{rule.Model} v{p.Version}: PSI {p.MaxPsi:0.###} on {p.WorstFeature} over {p.Requests} requests")).ToList();
    }

    /// <summary>The model's metric on each device that reported serving it in the last two minutes (older reports are stale: left as they are).</summary>
    private static async Task<IReadOnlyList<SubjectObservation>> ModelMetricAsync(PortalDbContext db, AlertRule rule, AlertScope scope, CancellationToken ct)
    {
        var rows = await db.DeviceModelMetrics.AsNoTracking().Where(m => m.Model == rule.Model).ToListAsync(ct);
        var ids = rows.Select(r => r.DeviceId).ToList();
        var names = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return rows.Where(r => scope.Covers(rule, r.DeviceId)).Select(r =>
        {
            var value = scope.Now - r.At > TimeSpan.FromMinutes(2) ? null : rule.ModelMetric switch
            {
                ModelMetric.P95Ms => r.P95Ms,
                ModelMetric.ErrorRatePercent => r.Requests - r.BaseRequests >= 10 ? 100.0 * (r.Errors - r.BaseErrors) / (r.Requests - r.BaseRequests) : null,
                _ => r.LastRequestAt is { } last ? Math.Max(0, (scope.Now - last).TotalSeconds) : null,
            };
            var observation = value is { } v ? new Observation(scope.Now, v, AlertStateMachine.Judge(v, rule.Comparison, rule.Threshold, rule.ClearThreshold)) : null;
            var shown = value is { } x ? $"{x:0.#}{AlertRuleChecks.Unit(rule.ModelMetric)}" : "";
            return new SubjectObservation("device", r.DeviceId, names.GetValueOrDefault(r.DeviceId, r.DeviceId), r.DeviceId, observation,
                $"{rule.Model} v{r.Version}: {AlertRuleChecks.Label(rule.ModelMetric)} {shown} ({r.Requests} requests, {r.Errors} failed since loaded)");
        }).ToList();
    }

    private static async Task<IReadOnlyList<SubjectObservation>> DeploymentsAsync(PortalDbContext db, AlertRule rule, AlertScope scope, IReadOnlyCollection<string> openSubjects, CancellationToken ct)
    {
        // Deployments that failed within the last day (a new rule does not fire for old history), and those with open alerts.
        var recent = scope.Now - TimeSpan.FromDays(1);
        var deployments = await db.Deployments.AsNoTracking().Include(d => d.Targets)
            .Where(d => (Failing.Contains(d.State) && d.UpdatedAt >= recent) || openSubjects.Contains(d.Id)).ToListAsync(ct);
        var observed = deployments
            .Where(d => (rule.GroupIds.Count == 0 && rule.DeviceIds.Count == 0) || d.Targets.Any(t => scope.Covers(rule, t.DeviceId)))
            .Select(d =>
            {
                var failing = Failing.Contains(d.State);
                var failed = d.Targets.Count(t => t.State == DeviceRolloutState.Failed);
                return new SubjectObservation("deployment", d.Id, d.Name, null,
                    new Observation(scope.Now, failed, failing ? Judgement.Breached : Judgement.Clear),
                    $"{d.State}{(d.StateReason is { Length: > 0 } reason ? $": {reason}" : "")} ({failed} of {d.Targets.Count} device(s) failed)");
            }).ToList();
        return observed;
    }
}

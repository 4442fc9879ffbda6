using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Shared.Alerts;
using Portal.Shared.Deployments;

namespace Portal.Features.Dashboard;

/// <summary>
/// Reads what <see cref="FleetProblems"/> needs. Every open dashboard asks again when something changes; the answer is
/// kept for two seconds so a reconnect storm with many dashboards open reads the database once, not once per browser.
/// </summary>
public sealed class FleetProblemSource(IDbContextFactory<PortalDbContext> dbFactory, FleetPresence presence, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (FleetProblemList List, DateTimeOffset At)? cached;

    /// <summary>
    /// The fleet's problems, from a read that began at or after <paramref name="notBefore"/> (the last change the caller
    /// heard of), so a refresh never gets a list read before the change that caused it; shared for two seconds.
    /// </summary>
    public async Task<FleetProblemList> GetAsync(DateTimeOffset notBefore, CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (cached is { } hit && now - hit.At < Fresh && hit.At >= notBefore)
            {
                return hit.List;
            }

            var list = await ReadAsync(now, ct);
            cached = (list, now);
            return list;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<FleetProblemList> ReadAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = (await db.Devices.AsNoTracking().Where(d => d.RevokedAt == null)
                .Select(d => new { d.Id, d.Name, d.EnrolledAt, d.LastSeenAt }).ToListAsync(ct))
            .Select(d => new DeviceFact(d.Id, d.Name, presence.IsOnline(d.Id), d.EnrolledAt, d.LastSeenAt)).ToList();
        var reports = (await db.DesiredStates.AsNoTracking().Select(s => new { s.DeviceId, s.ReportedAt, s.Reported }).ToListAsync(ct))
            .Select(s => new ReportFact(s.DeviceId, s.ReportedAt, s.Reported)).ToList();
        var since = now - FleetProblems.FailedRolloutsShownFor;
        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => d.State == DeploymentState.Paused
                || ((d.State == DeploymentState.Failed || d.State == DeploymentState.CompletedWithFailures) && d.UpdatedAt >= since))
            .Select(d => new DeploymentFact(d.Id, d.Name, d.State, d.StateReason, d.UpdatedAt)).ToListAsync(ct);
        var alerts = await (from a in db.Alerts.AsNoTracking()
                            join r in db.AlertRules.AsNoTracking() on a.RuleId equals r.Id
                            where a.State == AlertState.Firing
                            orderby a.Id descending
                            select new AlertFact(a.Id, r.Name, a.SubjectName, a.Summary, a.Severity == AlertSeverity.Critical, a.AckedAt != null, a.FiredAt))
            .Take(FleetProblems.MaxItems * 4).ToListAsync(ct);
        return FleetProblems.Plan(devices, reports, deployments, now, alerts);
    }

    public void Dispose() => gate.Dispose();
}

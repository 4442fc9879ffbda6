using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>Alerts as people see them: listed (firing first), counted for the app bar, acknowledged with a note (audited).</summary>
public sealed class AlertService(IDbContextFactory<PortalDbContext> dbFactory, Notifier<AlertsChanged> changes, AuditLog audit, TimeProvider clock)
{
    public async Task<AlertPage> ListAsync(AlertState? state = null, AlertSeverity? severity = null, string? ruleId = null, string? deviceId = null, int count = 100, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Alerts.AsNoTracking();
        query = state is { } s ? query.Where(a => a.State == s) : query;
        query = severity is { } v ? query.Where(a => a.Severity == v) : query;
        query = ruleId is not null ? query.Where(a => a.RuleId == ruleId) : query;
        query = deviceId is not null ? query.Where(a => a.DeviceId == deviceId) : query;
        var total = await query.CountAsync(ct);
        // Open ones (firing, then pending, newest first) before the newest resolved ones.
        var open = await query.Where(a => a.State != AlertState.Resolved).OrderByDescending(a => a.Id).Take(Math.Clamp(count, 1, 1000)).ToListAsync(ct);
        var resolved = open.Count >= count ? [] : await query.Where(a => a.State == AlertState.Resolved).OrderByDescending(a => a.ResolvedAt).Take(count - open.Count).ToListAsync(ct);
        var rules = await RuleNamesAsync(db, open.Concat(resolved), ct);
        var items = open.OrderBy(a => a.State == AlertState.Firing ? 0 : 1).ThenByDescending(a => a.FiredAt ?? a.PendingSince)
            .Concat(resolved).Select(a => ToDto(a, rules)).ToList();
        return new AlertPage(items, total);
    }

    public async Task<AlertDto?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return alert is null ? null : ToDto(alert, await RuleNamesAsync(db, [alert], ct));
    }

    public async Task<AlertCounts> CountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.Alerts.AsNoTracking().Where(a => a.State != AlertState.Resolved)
            .GroupBy(a => new { a.State, Acked = a.AckedAt != null }).Select(g => new { g.Key.State, g.Key.Acked, Count = g.Count() }).ToListAsync(ct);
        return new AlertCounts(
            open.Where(o => o.State == AlertState.Firing).Sum(o => o.Count),
            open.Where(o => o.State == AlertState.Firing && !o.Acked).Sum(o => o.Count),
            open.Where(o => o.State == AlertState.Pending).Sum(o => o.Count));
    }

    /// <summary>Acknowledges a pending or firing alert once: who, when and the note are kept on it and in the audit log.</summary>
    public async Task<OperationResult<AlertDto>> AckAsync(long id, AckAlertRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        var note = request?.Note?.Trim() ?? "";
        if (note.Length is 0 or > 1000 || PlainText.Problem(note, "note", multiline: true) is not null)
        {
            return OperationResult<AlertDto>.Fail(OperationOutcome.Invalid, PlainText.Problem(note, "note", multiline: true) ?? "Say what is being done in a note of 1 to 1000 characters.");
        }

        // The evaluator may update the alert at the same moment (its value, its state): read and decide again then.
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (alert is null)
            {
                return OperationResult<AlertDto>.Fail(OperationOutcome.NotFound, "There is no such alert.");
            }

            if (alert.State == AlertState.Resolved)
            {
                return OperationResult<AlertDto>.Fail(OperationOutcome.Conflict, "This alert has resolved; there is nothing to acknowledge.");
            }

            if (alert.AckedAt is not null)
            {
                return OperationResult<AlertDto>.Fail(OperationOutcome.Conflict, $"{alert.AckedBy} acknowledged this alert already: {alert.AckNote}");
            }

            (alert.AckedAt, alert.AckedBy, alert.AckNote) = (clock.GetUtcNow(), actor.Name, note);
            alert.Version++;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }

            var rules = await RuleNamesAsync(db, [alert], ct);
            await audit.RecordAsync(actor, AuditActions.AlertAcknowledged, AuditTargets.Alert(id), $"{rules.GetValueOrDefault(alert.RuleId).Name} on {alert.SubjectName}", detail: note, ct: ct);
            changes.Publish(new AlertsChanged(alert.DeviceId));
            return OperationResult<AlertDto>.Ok(ToDto(alert, rules));
        }
    }

    private static async Task<Dictionary<string, (string Name, AlertRuleKind Kind)>> RuleNamesAsync(PortalDbContext db, IEnumerable<Alert> alerts, CancellationToken ct)
    {
        var ids = alerts.Select(a => a.RuleId).Distinct().ToList();
        var rules = await db.AlertRules.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.Name, r.Kind }).ToListAsync(ct);
        return rules.ToDictionary(r => r.Id, r => (r.Name, r.Kind), StringComparer.Ordinal);
    }

    private static AlertDto ToDto(Alert a, Dictionary<string, (string Name, AlertRuleKind Kind)> rules) => new(
        a.Id, a.RuleId, rules.TryGetValue(a.RuleId, out var rule) ? rule.Name : "a deleted rule", rule.Kind, a.Severity, a.State, a.SubjectKind, a.SubjectId, a.SubjectName, a.DeviceId,
        a.Value, a.Threshold, a.Summary, a.PendingSince, a.FiredAt, a.ResolvedAt, a.LastObservedAt, a.Silenced, a.AckedAt, a.AckedBy, a.AckNote);
}

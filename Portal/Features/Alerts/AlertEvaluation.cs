using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Groups;
using Portal.Features.Notifications;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>
/// One evaluation pass: the stream rules (telemetry, device data) over the new samples of the devices that sent some,
/// each device's samples judged once (its cursor moves in the same transaction as its alerts and their notifications);
/// the snapshot rules (offline, workloads, deployments) on the portal's clock; firing alerts whose silence ended. Every
/// write is guarded (a conditional cursor move, a unique open key, a version on each alert), so an instance that lost
/// the lease mid-pass, or a pass repeated after a crash, changes nothing twice.
/// </summary>
public sealed partial class AlertEvaluation(
    IDbContextFactory<PortalDbContext> dbFactory,
    GroupService groups,
    Notifier<AlertsChanged> changes,
    Notifier<OutboxChanged> outbox,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock,
    ILogger<AlertEvaluation> logger)
{
    private static readonly TimeSpan RecentDevices = TimeSpan.FromMinutes(10);

    public async Task RunOnceAsync(IReadOnlyCollection<string> dirty, bool full, CancellationToken ct)
    {
        List<AlertRule> rules;
        List<AlertSilence> silences;
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rules = await db.AlertRules.AsNoTracking().ToListAsync(ct);
            silences = await db.AlertSilences.AsNoTracking().Where(s => s.EndsAt > now).ToListAsync(ct);
        }

        if (rules.Count == 0)
        {
            return;
        }

        // Groups are read (every member of every group) only when a rule or a silence names one.
        var groupsOfDevices = rules.Any(r => r.GroupIds.Count > 0) || silences.Any(s => s.GroupIds.Count > 0)
            ? await GroupsOfDevicesAsync(ct)
            : new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var scope = new AlertScope(groupsOfDevices, silences, now);
        var streamRules = rules.Where(r => r.Enabled && r.Kind is AlertRuleKind.Telemetry or AlertRuleKind.DeviceData).ToList();
        if (streamRules.Count > 0)
        {
            foreach (var device in full ? await ActiveDevicesAsync(now, ct) : dirty)
            {
                await GuardedAsync(() => StreamEvaluation.RunAsync(this, device, streamRules, scope, ct), $"device {device}");
            }

            if (full)
            {
                await GuardedAsync(() => OutOfScopeAsync(streamRules, scope, ct), "alerts out of scope");
            }
        }

        foreach (var rule in rules.Where(r => !r.Enabled || r.Kind is not (AlertRuleKind.Telemetry or AlertRuleKind.DeviceData)))
        {
            await GuardedAsync(() => SnapshotAsync(rule, scope, ct), $"rule {rule.Name}");
        }

        await GuardedAsync(() => UnsilencedAsync(rules, scope, ct), "silences");
    }

    internal IDbContextFactory<PortalDbContext> Db => dbFactory;

    internal string PortalUrl => options.CurrentValue.Notifications.PortalUrl;

    /// <summary>Saves a book's changes, queues its notifications and saves again, in the caller's transaction; then tells pages.</summary>
    internal async Task CommitAsync(PortalDbContext db, AlertBook book, AlertScope scope, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        var queued = book.Notify(scope, PortalUrl);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Published(book.Changed, queued, book.TouchedDevices);
    }

    private void Published(bool changed, bool queued, IEnumerable<string?> devices)
    {
        if (queued)
        {
            outbox.Publish(new OutboxChanged(null));
        }

        if (changed)
        {
            foreach (var device in devices.Distinct().DefaultIfEmpty(null))
            {
                changes.Publish(new AlertsChanged(device));
            }
        }
    }

    private async Task SnapshotAsync(AlertRule rule, AlertScope scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.Alerts.Where(a => a.RuleId == rule.Id && a.OpenKey != null).ToListAsync(ct);
        if (!rule.Enabled && open.Count == 0)
        {
            return;
        }

        var openSubjects = open.Select(a => a.SubjectId).ToList();
        var observed = rule.Enabled && rule.Kind is not (AlertRuleKind.Telemetry or AlertRuleKind.DeviceData)
            ? await SnapshotSources.ObserveAsync(db, rule, scope, openSubjects, ct)
            : [];
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var book = new AlertBook(db, open);
        foreach (var subject in observed)
        {
            book.Apply(rule, subject);
        }

        // Open alerts on subjects no longer observed (a removed device, a deleted deployment, out of scope, the rule disabled) resolve.
        var seen = observed.Select(o => o.SubjectId).ToHashSet(StringComparer.Ordinal);
        foreach (var alert in open.Where(a => a.OpenKey is not null && !seen.Contains(a.SubjectId)).ToList())
        {
            book.Apply(rule, new SubjectObservation(alert.SubjectKind, alert.SubjectId, alert.SubjectName, alert.DeviceId,
                new Observation(scope.Now, alert.Value, Judgement.Clear), alert.Summary));
        }

        if (book.Changed)
        {
            await CommitAsync(db, book, scope, transaction, ct);
        }
    }

    /// <summary>
    /// Open stream alerts on devices their rule no longer covers (the rule's scope changed, the device left a group, was
    /// decommissioned or removed): no sample will clear them, so they are judged clear (resolving after the rule's resolve time).
    /// </summary>
    private async Task OutOfScopeAsync(IReadOnlyList<AlertRule> rules, AlertScope scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ruleIds = rules.Select(r => r.Id).ToList();
        var open = await db.Alerts.Where(a => a.OpenKey != null && ruleIds.Contains(a.RuleId)).ToListAsync(ct);
        var deviceIds = open.Select(a => a.DeviceId).Distinct().ToList();
        var active = (await db.Devices.AsNoTracking().Where(d => deviceIds.Contains(d.Id) && d.RevokedAt == null).Select(d => d.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var gone = open.Where(a => a.DeviceId is not { } id || !active.Contains(id) || !scope.Covers(rules.First(r => r.Id == a.RuleId), id)).ToList();
        if (gone.Count == 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var book = new AlertBook(db, open);
        foreach (var alert in gone)
        {
            book.Apply(rules.First(r => r.Id == alert.RuleId), new SubjectObservation(alert.SubjectKind, alert.SubjectId, alert.SubjectName, alert.DeviceId,
                new Observation(scope.Now, alert.Value, Judgement.Clear), alert.Summary));
        }

        await CommitAsync(db, book, scope, transaction, ct);
    }

    /// <summary>Firing alerts whose firing was held back by a silence that has ended: sent now.</summary>
    private async Task UnsilencedAsync(IReadOnlyList<AlertRule> rules, AlertScope scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var held = await db.Alerts.Where(a => a.State == AlertState.Firing && !a.FiringNotified).ToListAsync(ct);
        var queued = false;
        var changed = new List<string?>();
        foreach (var alert in held)
        {
            if (rules.FirstOrDefault(r => r.Id == alert.RuleId) is { } rule && !scope.Silenced(rule.Id, alert.DeviceId))
            {
                queued |= AlertBook.NotifyFiring(db, alert, rule, scope, PortalUrl);
                changed.Add(alert.DeviceId);
            }
        }

        if (changed.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            Published(true, queued, changed);
        }
    }

    private async Task GuardedAsync(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (DbUpdateException ex)
        {
            // Another holder (or an earlier try) got there first, or the row changed meanwhile: judged again next pass.
            LogConflict(logger, what, ex.InnerException?.Message ?? ex.Message);
        }
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GroupsOfDevicesAsync(CancellationToken ct)
    {
        var list = await groups.ListAsync(ct);
        return list.SelectMany(g => g.Members.Select(m => (m.DeviceId, GroupId: g.Id)))
            .GroupBy(x => x.DeviceId, StringComparer.Ordinal)
            .ToDictionary(x => x.Key, x => (IReadOnlyList<string>)x.Select(y => y.GroupId).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Devices that may have sent something: connected now, or seen in the last ten minutes.</summary>
    private async Task<IReadOnlyList<string>> ActiveDevicesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var since = now - RecentDevices;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Devices.AsNoTracking().Where(d => d.RevokedAt == null && (d.ConnectedInstance != null || d.LastSeenAt >= since))
            .Select(d => d.Id).ToListAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert evaluation of {What} met a concurrent change and will be judged again: {Error}")]
    private static partial void LogConflict(ILogger logger, string what, string error);
}

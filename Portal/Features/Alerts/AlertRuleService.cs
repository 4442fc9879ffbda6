using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Notifications;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>Alert rules: listed by anyone signed in, created, changed and deleted by operators (audited). Uses channels, so it guards their deletion.</summary>
public sealed class AlertRuleService(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditLog audit,
    AlertSignal signal,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock) : IChannelUsers
{
    public async Task<IReadOnlyList<AlertRuleDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.AlertRules.AsNoTracking().ToListAsync(ct);
        return rules.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Select(ToDto).ToList();
    }

    public async Task<AlertRuleDto?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } rule ? ToDto(rule) : null;
    }

    public async Task<OperationResult<AlertRuleDto>> SaveAsync(string? id, SaveAlertRuleRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        if (AlertRuleChecks.Problem(request) is { } problem)
        {
            return Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ReferenceProblemAsync(db, request!, ct) is { } missing)
        {
            return Fail(OperationOutcome.Invalid, missing);
        }

        var name = request!.Name.Trim();
        if (await db.AlertRules.AnyAsync(r => r.Name == name && r.Id != id, ct))
        {
            return Fail(OperationOutcome.Conflict, $"An alert rule named '{name}' already exists.");
        }

        var now = clock.GetUtcNow();
        AlertRule? rule;
        if (id is null)
        {
            if (await db.AlertRules.CountAsync(ct) >= options.CurrentValue.Alerts.MaxRules)
            {
                return Fail(OperationOutcome.Conflict, $"There are already {options.CurrentValue.Alerts.MaxRules} alert rules (Portal:Alerts:MaxRules): delete one first.");
            }

            rule = db.AlertRules.Add(new AlertRule { Id = Guid.NewGuid().ToString("N"), Name = name, CreatedAt = now }).Entity;
        }
        else
        {
            rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (rule is null)
            {
                return Fail(OperationOutcome.NotFound, "There is no such alert rule.");
            }

            if (rule.Kind != request.Kind)
            {
                return Fail(OperationOutcome.Invalid, $"A rule's kind cannot change ({rule.Kind}): create a new rule instead.");
            }
        }

        rule.Name = name;
        rule.Kind = request.Kind;
        rule.Metric = request.Kind == AlertRuleKind.Telemetry ? request.Metric : null;
        rule.Series = request.Kind == AlertRuleKind.DeviceData ? request.Series!.Trim() : null;
        rule.Model = request.Kind is AlertRuleKind.ModelDrift or AlertRuleKind.ModelMetric ? request.Model!.Trim() : null;
        rule.ModelMetric = request.Kind == AlertRuleKind.ModelMetric ? request.ModelMetric : null;
        rule.Comparison = request.Comparison;
        rule.Threshold = request.Threshold;
        rule.ClearThreshold = request.ClearThreshold ?? request.Threshold;
        rule.ForSeconds = request.ForSeconds;
        rule.ResolveAfterSeconds = request.ResolveAfterSeconds;
        rule.Severity = request.Severity;
        rule.GroupIds = Distinct(request.GroupIds);
        rule.DeviceIds = Distinct(request.DeviceIds);
        rule.ChannelIds = Distinct(request.ChannelIds);
        rule.Enabled = request.Enabled;
        rule.UpdatedAt = now;
        rule.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Fail(OperationOutcome.Conflict, "Someone else changed or deleted this rule just now; reload and try again.");
        }

        await audit.RecordAsync(actor, id is null ? AuditActions.AlertRuleCreated : AuditActions.AlertRuleChanged, AuditTargets.AlertRule(rule.Id), rule.Name,
            detail: $"{rule.Severity}: {Describe(rule)}; {Scope(rule)}; {rule.ChannelIds.Count} channel(s){(rule.Enabled ? "" : "; disabled")}", ct: ct);
        // Judged at once with what it now says; a disabled rule's open alerts resolve.
        signal.Wake(full: true);
        return OperationResult<AlertRuleDto>.Ok(ToDto(rule));
    }

    /// <summary>Deletes the rule with its alerts (open ones stop without a resolution message).</summary>
    public async Task<OperationResult<bool>> DeleteAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, "There is no such alert rule.");
        }

        db.AlertRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.AlertRuleDeleted, AuditTargets.AlertRule(id), rule.Name, ct: ct);
        return OperationResult<bool>.Ok(true);
    }

    public async Task<IReadOnlyList<string>> UsersOfAsync(string channelId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.AlertRules.AsNoTracking().Select(r => new { r.Name, r.ChannelIds }).ToListAsync(ct);
        return rules.Where(r => r.ChannelIds.Contains(channelId, StringComparer.Ordinal)).Select(r => $"alert rule {r.Name}").ToList();
    }

    private static async Task<string?> ReferenceProblemAsync(PortalDbContext db, SaveAlertRuleRequest request, CancellationToken ct)
    {
        var channels = Distinct(request.ChannelIds);
        var knownChannels = await db.NotificationChannels.Where(c => channels.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        if (channels.Except(knownChannels).FirstOrDefault() is { } channel)
        {
            return $"There is no notification channel with the id '{channel}'.";
        }

        var groups = Distinct(request.GroupIds);
        var knownGroups = await db.Groups.Where(g => groups.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct);
        if (groups.Except(knownGroups).FirstOrDefault() is { } group)
        {
            return $"There is no group with the id '{group}'.";
        }

        var devices = Distinct(request.DeviceIds);
        var knownDevices = await db.Devices.Where(d => devices.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        return devices.Except(knownDevices).FirstOrDefault() is { } device ? $"There is no device with the id '{device}'." : null;
    }

    private static List<string> Distinct(IReadOnlyList<string>? ids) => (ids ?? []).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToList();

    private static string Scope(AlertRule rule) =>
        rule.GroupIds.Count == 0 && rule.DeviceIds.Count == 0 ? "whole fleet" : $"{rule.GroupIds.Count} group(s), {rule.DeviceIds.Count} device(s)";

    public static string Describe(AlertRule rule) =>
        AlertRuleChecks.Describe(rule.Kind, rule.Metric, rule.Series, rule.Comparison, rule.Threshold, rule.ClearThreshold, rule.ForSeconds, rule.Model, rule.ModelMetric);

    public static AlertRuleDto ToDto(AlertRule r) =>
        new(r.Id, r.Name, r.Kind, r.Metric, r.Series, r.Comparison, r.Threshold, r.ClearThreshold, r.ForSeconds, r.ResolveAfterSeconds, r.Severity,
            r.GroupIds, r.DeviceIds, r.ChannelIds, r.Enabled, Describe(r), r.CreatedAt, r.UpdatedAt, r.Model, r.ModelMetric);

    private static OperationResult<AlertRuleDto> Fail(OperationOutcome outcome, string error) => OperationResult<AlertRuleDto>.Fail(outcome, error);
}

using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>Silences: created and ended by operators (audited); the evaluator reads them each pass.</summary>
public sealed class SilenceService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, AlertSignal signal, TimeProvider clock)
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(30);

    /// <summary>Silences that have not ended, and those that ended in the last day.</summary>
    public async Task<IReadOnlyList<SilenceDto>> ListAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var since = now - TimeSpan.FromDays(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var silences = await db.AlertSilences.AsNoTracking().Where(s => s.EndsAt > since).ToListAsync(ct);
        return silences.OrderByDescending(s => s.EndsAt).Select(s => ToDto(s, now)).ToList();
    }

    public async Task<OperationResult<SilenceDto>> CreateAsync(CreateSilenceRequest? request, AuditActor actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var comment = request?.Comment?.Trim() ?? "";
        var starts = request?.StartsAt?.ToUniversalTime() ?? now;
        var problem = request is null ? "Send a silence: endsAt, a comment, and the rules, groups or devices it covers."
            : comment.Length is 0 or > 500 ? "Say why in a comment of 1 to 500 characters."
            : PlainText.Problem(comment, "comment", multiline: true) is { } text ? text
            : request.EndsAt <= starts ? "A silence must end after it starts."
            : request.EndsAt <= now ? "A silence must end in the future."
            : request.EndsAt - starts > Longest ? "A silence can last at most 30 days; make a new one when it ends."
            : null;
        if (problem is not null)
        {
            return OperationResult<SilenceDto>.Fail(OperationOutcome.Invalid, problem);
        }

        var silence = new AlertSilence
        {
            Id = Guid.NewGuid().ToString("N"),
            RuleIds = Ids(request!.RuleIds),
            GroupIds = Ids(request.GroupIds),
            DeviceIds = Ids(request.DeviceIds),
            StartsAt = starts,
            EndsAt = request.EndsAt.ToUniversalTime(),
            Comment = comment,
            CreatedBy = actor.Name,
            CreatedAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AlertSilences.Add(silence);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.AlertSilenceCreated, AuditTargets.AlertSilence(silence.Id), comment,
            detail: $"{starts.UtcDateTime:yyyy-MM-dd HH:mm} to {silence.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC; {Covers(silence)}", ct: ct);
        signal.Wake(full: true);
        return OperationResult<SilenceDto>.Ok(ToDto(silence, now));
    }

    /// <summary>Ends a silence now: alerts still firing that it held back are sent at the next evaluation.</summary>
    public async Task<OperationResult<SilenceDto>> EndAsync(string id, AuditActor actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var silence = await db.AlertSilences.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (silence is null)
        {
            return OperationResult<SilenceDto>.Fail(OperationOutcome.NotFound, "There is no such silence.");
        }

        if (silence.EndsAt <= now)
        {
            return OperationResult<SilenceDto>.Fail(OperationOutcome.Conflict, "This silence has ended already.");
        }

        silence.EndsAt = now;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(actor, AuditActions.AlertSilenceEnded, AuditTargets.AlertSilence(id), silence.Comment, ct: ct);
        signal.Wake(full: true);
        return OperationResult<SilenceDto>.Ok(ToDto(silence, now));
    }

    private static List<string> Ids(IReadOnlyList<string>? ids) => (ids ?? []).Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).Take(500).ToList();

    private static string Covers(AlertSilence s) => s.RuleIds.Count + s.GroupIds.Count + s.DeviceIds.Count == 0 ? "every alert"
        : $"{s.RuleIds.Count} rule(s), {s.GroupIds.Count} group(s), {s.DeviceIds.Count} device(s)";

    private static SilenceDto ToDto(AlertSilence s, DateTimeOffset now) =>
        new(s.Id, s.RuleIds, s.GroupIds, s.DeviceIds, s.StartsAt, s.EndsAt, s.Comment, s.CreatedBy, s.CreatedAt, s.StartsAt <= now && now < s.EndsAt);
}

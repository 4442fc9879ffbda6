using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Features.Audit;

/// <summary>
/// Appends to the audit log. Only inserts: no code path updates or deletes an entry (retention, a setting, is the one
/// exception). A failure to record is logged loudly but never undoes or blocks the action it describes.
/// </summary>
public sealed partial class AuditLog(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<AuditLog> logger)
{
    public async Task RecordAsync(AuditActor actor, string action, string? target = null, string? targetName = null,
        string outcome = AuditOutcomes.Success, string? detail = null, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.AuditLog.Add(new AuditEntry
            {
                At = clock.GetUtcNow(),
                ActorKind = actor.Kind,
                ActorId = Cut(actor.Id, 64),
                ActorName = Cut(actor.Name, 256)!,
                Action = action,
                Target = Cut(target, 128),
                TargetName = Cut(targetName, 256),
                Outcome = outcome,
                SourceIp = Cut(actor.Ip, 64),
                Detail = Cut(detail, 1000),
            });
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or OperationCanceledException)
        {
            LogNotRecorded(logger, action, actor.Name, ex.Message);
        }
    }

    // Refused attempts carry what the caller sent (an e-mail, a device name): control characters become U+FFFD, so an
    // entry can neither break PostgreSQL (NUL) nor forge a line.
    private static string? Cut(string? text, int max) => Common.PlainText.Neutralize(text is { Length: > 0 } t && t.Length > max ? t[..max] : text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry {Action} by {Actor} could not be recorded: {Error}")]
    private static partial void LogNotRecorded(ILogger logger, string action, string actor, string error);
}

using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Audit;

namespace Portal.Features.Audit;

/// <summary>Reads the audit log: filtered pages, newest first, and CSV exports. Never writes.</summary>
public sealed class AuditQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The most rows one CSV export holds; narrow the filter for more.</summary>
    public const int MaxExportRows = 100_000;

    /// <param name="page">From 1.</param>
    public async Task<AuditEntryPage> PageAsync(AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, AuditFilter.MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var matching = Apply(db.AuditLog.AsNoTracking(), filter);
        var total = await matching.CountAsync(cancellationToken);
        var rows = await Newest(matching).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new AuditEntryPage(rows.Select(ToDto).ToList(), total, page, pageSize);
    }

    /// <summary>Writes every matching entry (up to <see cref="MaxExportRows"/>), newest first, as RFC 4180 CSV.</summary>
    public async Task WriteCsvAsync(AuditFilter filter, TextWriter writer, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await writer.WriteAsync(AuditCsv.Header.AsMemory(), cancellationToken);
        var rows = Newest(Apply(db.AuditLog.AsNoTracking(), filter)).Take(MaxExportRows).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(AuditCsv.Line(ToDto(row)).AsMemory(), cancellationToken);
        }
    }

    private static IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries, AuditFilter filter)
    {
        if (filter.Actor is { } actor)
        {
            // Case-insensitive on both providers (SQLite's LIKE ignores case, PostgreSQL's does not); no wildcards.
            var lower = actor.ToLowerInvariant();
            entries = entries.Where(e => e.ActorName.ToLower().Contains(lower) || e.ActorId == actor);
        }

        if (filter.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (filter.Target is { } target)
        {
            var lower = target.ToLowerInvariant();
            entries = entries.Where(e => e.Target!.ToLower().Contains(lower) || e.TargetName!.ToLower().Contains(lower));
        }

        if (filter.From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        if (filter.Outcome is { } outcome)
        {
            entries = entries.Where(e => e.Outcome == outcome);
        }

        return entries;
    }

    // Ids grow with time, so they order entries of the same instant too.
    private static IQueryable<AuditEntry> Newest(IQueryable<AuditEntry> entries) => entries.OrderByDescending(e => e.Id);

    /// <summary>A LIKE pattern for "contains", with the user's own % and _ taken literally.</summary>
    private static AuditEntryDto ToDto(AuditEntry e) =>
        new(e.Id, e.At, e.ActorKind, e.ActorId, e.ActorName, e.Action, e.Target, e.TargetName, e.Outcome, e.SourceIp, e.Detail);
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;

namespace Portal.Features.Telemetry;

/// <summary>News that rows of a device older than the minute they arrived in were stored: their minutes need rolling up again.</summary>
public interface ILateRows
{
    string DeviceId { get; }

    DateTimeOffset Earliest { get; }
}

/// <summary>
/// Once a minute: rolls finished minutes of raw rows (telemetry, device data) into 1-minute aggregates (again for
/// minutes that late rows from an agent's outbox have since filled in), and deletes raw rows and aggregates past
/// retention. With several instances only the holder of the lease works; late rows written by any instance reach it as
/// <typeparamref name="TLate"/> news.
/// </summary>
public abstract partial class RollupMaintenance<TLate>(
    IDbContextFactory<PortalDbContext> dbFactory,
    Leases leases,
    Notifier<TLate> lateNews,
    TimeProvider clock,
    ILogger logger) : BackgroundService
    where TLate : ILateRows
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> late = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private DateTimeOffset? rolledUpTo;
    private DateTimeOffset lastRetention = DateTimeOffset.MinValue;

    protected abstract string LeaseName { get; }

    protected abstract TelemetryOptions Retention { get; }

    protected abstract TLate Late(string deviceId, DateTimeOffset earliest);

    /// <summary>Where roll-ups resume: after the last aggregate, or at the first raw row; null while there is none at all.</summary>
    protected abstract Task<DateTimeOffset?> StartAsync(PortalDbContext db, CancellationToken ct);

    /// <summary>Replaces the aggregates of [from, until) (of one device, or all) with fresh ones; the caller commits.</summary>
    protected abstract Task RollUpWindowAsync(PortalDbContext db, string? deviceId, DateTimeOffset from, DateTimeOffset until, CancellationToken ct);

    protected abstract Task DeleteExpiredAsync(PortalDbContext db, DateTimeOffset rawCutoff, DateTimeOffset aggregateCutoff, CancellationToken ct);

    /// <summary>Called by the writer for rows older than the current minute: their minutes are rolled up again (by whichever instance does roll-ups).</summary>
    public void MarkLate(string deviceId, DateTimeOffset earliest) => lateNews.Publish(Late(deviceId, earliest));

    private void MarkLateHere(string deviceId, DateTimeOffset earliest)
    {
        // Nothing older than raw retention can be rolled up again: the raw rows are gone.
        var floor = clock.GetUtcNow().AddDays(-Retention.RawRetentionDays);
        earliest = earliest < floor ? floor : earliest;
        late.AddOrUpdate(deviceId, earliest, (_, known) => earliest < known ? earliest : known);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var news = lateNews.Subscribe(l =>
        {
            MarkLateHere(l.DeviceId, l.Earliest);
            return Task.CompletedTask;
        });
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            try
            {
                if (await leases.TryHoldAsync(LeaseName, stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
                else
                {
                    // Another instance rolls up; should this one take over later, it starts from what is stored.
                    rolledUpTo = null;
                    late.Clear();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, LeaseName, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await RunAsync(cancellationToken);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var until = TelemetryRollup.MinuteOf(clock.GetUtcNow());
        rolledUpTo ??= await StartAsync(db, cancellationToken);
        if (rolledUpTo is null)
        {
            return;
        }

        if (rolledUpTo < until)
        {
            await RollUpAsync(db, null, rolledUpTo.Value, until, cancellationToken);
            rolledUpTo = until;
        }

        foreach (var deviceId in late.Keys.ToList())
        {
            if (late.TryRemove(deviceId, out var earliest) && TelemetryRollup.MinuteOf(earliest) < rolledUpTo.Value)
            {
                await RollUpAsync(db, deviceId, TelemetryRollup.MinuteOf(earliest), rolledUpTo.Value, cancellationToken);
            }
        }

        // Retention is counted in days: once an hour is plenty, and spares a scan of the raw table every minute.
        var now = clock.GetUtcNow();
        if (now - lastRetention < TimeSpan.FromHours(1))
        {
            return;
        }

        lastRetention = now;
        await DeleteExpiredAsync(db, now.AddDays(-Retention.RawRetentionDays), now.AddDays(-Retention.AggregateRetentionDays), cancellationToken);
    }

    /// <summary>Replaces the aggregates of [from, until) with fresh ones, an hour per transaction, so it can be repeated safely.</summary>
    private async Task RollUpAsync(PortalDbContext db, string? deviceId, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        // An hour at a time, so a long backlog (a first start, a day-long outage) never loads all of it at once.
        for (var start = from; start < until; start = start.AddHours(1))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await RollUpWindowAsync(db, deviceId, start, start.AddHours(1) < until ? start.AddHours(1) : until, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Roll-up or retention ({Lease}) failed; it is tried again in a minute")]
    private static partial void LogFailed(ILogger logger, string lease, Exception exception);
}

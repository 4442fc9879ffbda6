using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Common;
using Portal.Data;
using Portal.Features.Cluster;

namespace Portal.Features.Telemetry;

/// <summary>Samples of a device older than the minute they arrived in: their minutes need rolling up again.</summary>
public sealed record TelemetryLate(string DeviceId, DateTimeOffset Earliest);

/// <summary>
/// Once a minute: rolls finished minutes of raw telemetry into 1-minute aggregates (again for minutes that late
/// samples from an agent's outbox have since filled in), and deletes raw samples and aggregates past retention.
/// </summary>
/// <remarks>
/// With several instances only the holder of the <see cref="LeaseNames.TelemetryMaintenance"/> lease works; late
/// samples written by any instance reach it as <see cref="TelemetryLate"/> news.
/// </remarks>
public sealed partial class TelemetryMaintenance(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<PortalOptions> options,
    Leases leases,
    Notifier<TelemetryLate> lateNews,
    TimeProvider clock,
    ILogger<TelemetryMaintenance> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> late = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private DateTimeOffset? rolledUpTo;
    private DateTimeOffset lastRetention = DateTimeOffset.MinValue;

    /// <summary>Called by the writer for samples older than the current minute: their minutes are rolled up again (by whichever instance does roll-ups).</summary>
    public void MarkLate(string deviceId, DateTimeOffset earliest) => lateNews.Publish(new TelemetryLate(deviceId, earliest));

    private void MarkLateHere(string deviceId, DateTimeOffset earliest)
    {
        // Nothing older than raw retention can be rolled up again: the raw samples are gone.
        var floor = clock.GetUtcNow().AddDays(-options.Value.Telemetry.RawRetentionDays);
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
                if (await leases.TryHoldAsync(LeaseNames.TelemetryMaintenance, stoppingToken))
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
                LogFailed(logger, ex);
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
        var telemetry = options.Value.Telemetry;
        var rawCutoff = now.AddDays(-telemetry.RawRetentionDays);
        var aggregateCutoff = now.AddDays(-telemetry.AggregateRetentionDays);
        await db.Telemetry.Where(t => t.At < rawCutoff).ExecuteDeleteAsync(cancellationToken);
        await db.TelemetryMinutes.Where(t => t.Minute < aggregateCutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Where roll-ups resume: after the last aggregate, or at the first sample; null while there is no telemetry at all.</summary>
    private static async Task<DateTimeOffset?> StartAsync(PortalDbContext db, CancellationToken ct)
    {
        var lastMinute = await db.TelemetryMinutes.MaxAsync(t => (DateTimeOffset?)t.Minute, ct);
        if (lastMinute is not null)
        {
            return lastMinute.Value.AddMinutes(1);
        }

        var firstSample = await db.Telemetry.MinAsync(t => (DateTimeOffset?)t.At, ct);
        return firstSample is null ? null : TelemetryRollup.MinuteOf(firstSample.Value);
    }

    /// <summary>Replaces the aggregates of [from, until) with fresh ones, in one transaction, so it can be repeated safely.</summary>
    private static async Task RollUpAsync(PortalDbContext db, string? deviceId, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        // An hour at a time, so a long backlog (a first start, a day-long outage) never loads all of it at once.
        for (var start = from; start < until; start = start.AddHours(1))
        {
            await RollUpWindowAsync(db, deviceId, start, start.AddHours(1) < until ? start.AddHours(1) : until, ct);
        }
    }

    private static async Task RollUpWindowAsync(PortalDbContext db, string? deviceId, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var raw = db.Telemetry.AsNoTracking().Where(t => t.At >= from && t.At < until);
        var minutes = db.TelemetryMinutes.Where(t => t.Minute >= from && t.Minute < until);
        if (deviceId is not null)
        {
            raw = raw.Where(t => t.DeviceId == deviceId);
            minutes = minutes.Where(t => t.DeviceId == deviceId);
        }

        var aggregates = TelemetryRollup.Aggregate(await raw.ToListAsync(ct));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await minutes.ExecuteDeleteAsync(ct);
        db.TelemetryMinutes.AddRange(aggregates);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry roll-up or retention failed; it is tried again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

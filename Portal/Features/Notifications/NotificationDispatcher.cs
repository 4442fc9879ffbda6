using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>
/// Under the <see cref="LeaseNames.Notifications"/> lease: every two seconds, or at once when something is queued
/// (<see cref="OutboxChanged"/> from any instance), fans out fleet events and sends what is due; every ten minutes
/// drops finished deliveries and events older than <c>Portal:Notifications:DeliveryRetentionDays</c>. Everything it
/// needs is in the database, so a restart (or another instance taking the lease) carries on where it stopped.
/// </summary>
public sealed partial class NotificationDispatcher(
    EventFanOut fanOut,
    DeliveryWorker worker,
    Leases leases,
    Notifier<OutboxChanged> outbox,
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);
    private readonly Wakeup wake = new();
    private DateTimeOffset prunedAt = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = outbox.Subscribe(_ =>
        {
            wake.Wake();
            return Task.CompletedTask;
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await leases.TryHoldAsync(LeaseNames.Notifications, stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }

            await wake.WaitAsync(Interval, clock, stoppingToken);
        }
    }

    /// <summary>One pass: fan out, send until nothing more is due now (bounded), prune when it is time.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        while (await fanOut.RunOnceAsync(ct) > 0)
        {
        }

        for (var round = 0; round < 10 && await worker.RunOnceAsync(ct) > 0; round++)
        {
        }

        var now = clock.GetUtcNow();
        if (now - prunedAt >= PruneEvery)
        {
            prunedAt = now;
            var cutoff = now - TimeSpan.FromDays(options.CurrentValue.Notifications.DeliveryRetentionDays);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.NotificationDeliveries.Where(d => d.FinishedAt < cutoff && (d.State == DeliveryState.Succeeded || d.State == DeliveryState.Failed))
                .ExecuteDeleteAsync(ct);
            await db.FleetEvents.Where(e => e.FannedOutAt < cutoff).ExecuteDeleteAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fan out or send notifications")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

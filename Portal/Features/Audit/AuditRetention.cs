using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;

namespace Portal.Features.Audit;

/// <summary>
/// Deletes audit entries older than <c>Portal:Audit:RetentionDays</c>, hourly. The only code that removes entries;
/// with the default of 0 it never does.
/// </summary>
public sealed partial class AuditRetention(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptionsMonitor<PortalOptions> options,
    Portal.Features.Cluster.Leases leases,
    TimeProvider clock,
    ILogger<AuditRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                // One instance of a cluster does it (the lease outlives no hour, so whichever comes first takes it).
                if (await leases.TryHoldAsync(Portal.Features.Cluster.LeaseNames.AuditRetention, stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes what is past retention now; returns how many entries went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var days = options.CurrentValue.Audit.RetentionDays;
        if (days <= 0)
        {
            return 0;
        }

        var cutoff = clock.GetUtcNow().AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.AuditLog.Where(e => e.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted, days);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} audit entries older than {Days} days (Portal:Audit:RetentionDays)")]
    private static partial void LogDeleted(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit retention failed; it is tried again in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

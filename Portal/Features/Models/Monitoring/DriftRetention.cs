using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;

namespace Portal.Features.Models.Monitoring;

/// <summary>Hourly, under the <see cref="LeaseNames.ModelMonitoring"/> lease: drift points older than <c>Portal:ModelMonitoring:RetentionDays</c> go.</summary>
public sealed partial class DriftRetention(IDbContextFactory<PortalDbContext> dbFactory, Leases leases, IOptionsMonitor<PortalOptions> options, TimeProvider clock, ILogger<DriftRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                if (await leases.TryHoldAsync(LeaseNames.ModelMonitoring, stoppingToken))
                {
                    var before = clock.GetUtcNow() - TimeSpan.FromDays(options.CurrentValue.ModelMonitoring.RetentionDays);
                    await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                    await db.ModelDriftPoints.Where(p => p.At < before).ExecuteDeleteAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not drop old drift points")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

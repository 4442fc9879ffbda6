using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Shared.Alerts;

namespace Portal.Features.Alerts;

/// <summary>
/// Runs <see cref="AlertEvaluation"/> under the <see cref="LeaseNames.Alerts"/> lease: every <c>EvaluateSeconds</c>, and at
/// once when a device sends telemetry or data; over every device when it takes the lease and every <c>FullSweepSeconds</c>.
/// Drops resolved alerts past their retention every ten minutes.
/// </summary>
public sealed partial class AlertEvaluator(
    AlertEvaluation evaluation,
    AlertSignal signal,
    Leases leases,
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock,
    ILogger<AlertEvaluator> logger) : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var held = false;
        var sweptAt = DateTimeOffset.MinValue;
        var prunedAt = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue.Alerts;
            try
            {
                var (devices, full) = signal.Take();
                if (await leases.TryHoldAsync(LeaseNames.Alerts, stoppingToken))
                {
                    var now = clock.GetUtcNow();
                    // Taking the lease (a restart, another instance stopped): what happened meanwhile is looked at in full.
                    full |= !held || now - sweptAt >= TimeSpan.FromSeconds(settings.FullSweepSeconds);
                    held = true;
                    await evaluation.RunOnceAsync(devices, full, stoppingToken);
                    sweptAt = full ? now : sweptAt;
                    if (now - prunedAt >= PruneEvery)
                    {
                        prunedAt = now;
                        await PruneAsync(now - TimeSpan.FromDays(settings.ResolvedRetentionDays), stoppingToken);
                    }
                }
                else
                {
                    held = false;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }

            await signal.WaitAsync(TimeSpan.FromSeconds(settings.EvaluateSeconds), clock, stoppingToken);
        }
    }

    private async Task PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Alerts.Where(a => a.State == AlertState.Resolved && a.ResolvedAt < before).ExecuteDeleteAsync(ct);
        await db.AlertSilences.Where(s => s.EndsAt < before).ExecuteDeleteAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert evaluation failed; it runs again at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;

namespace Portal.Features.Cluster;

/// <summary>
/// Keeps this instance's row in <c>Instances</c> fresh (every 5 s), re-reads which devices the other instances hold,
/// and on a graceful stop removes its row, frees its devices' rows and gives up its leases, so the others take over
/// at once instead of after <c>Portal:Cluster:InstanceTimeoutSeconds</c>.
/// </summary>
public sealed partial class InstanceHeartbeat(
    IDbContextFactory<PortalDbContext> dbFactory,
    PortalInstanceIdentity instance,
    FleetPresence presence,
    Leases leases,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock,
    ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!options.CurrentValue.Database.IsPostgres)
            {
                // SQLite serves one instance: whatever an earlier run left connected is gone with it.
                await db.Devices.Where(d => d.ConnectedInstance != null).ForgetConnectionsAsync(cancellationToken);
                await db.Instances.Where(i => i.Id != instance.Id).ExecuteDeleteAsync(cancellationToken);
            }

            await StampAsync(db, cancellationToken);
        }

        LogStarted(logger, instance.Id, instance.Host);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                await StampAsync(db, stoppingToken);
                if (options.CurrentValue.Database.IsPostgres)
                {
                    await presence.RefreshAsync(db, AliveSince(clock, options.CurrentValue), stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Devices.Where(d => d.ConnectedInstance == instance.Id).ForgetConnectionsAsync(cancellationToken);
            await db.Instances.Where(i => i.Id == instance.Id).ExecuteDeleteAsync(cancellationToken);
            await leases.ReleaseAllAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or OperationCanceledException or System.Data.Common.DbException)
        {
            LogFailed(logger, ex);
        }
    }

    /// <summary>Instances seen since this moment are alive.</summary>
    public static DateTimeOffset AliveSince(TimeProvider clock, PortalOptions options) =>
        clock.GetUtcNow().AddSeconds(-options.Cluster.InstanceTimeoutSeconds);

    private async Task StampAsync(PortalDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = instance.Id;
        if (await db.Instances.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.SeenAt, now), ct) == 0)
        {
            db.Instances.Add(new PortalInstance { Id = id, Host = instance.Host, StartedAt = now, SeenAt = now });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Portal instance {Instance} on {Host} started")]
    private static partial void LogStarted(ILogger logger, string instance, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The instance heartbeat failed; it is tried again in 5 s")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using Portal.Features.Cluster;

namespace Portal.Features.DeviceActions;

/// <summary>
/// Under the <see cref="LeaseNames.DeviceActions"/> lease, every 15 s: queued actions past their expiry become Expired and
/// sent ones nobody answered in time become Failed, each audited (<see cref="DeviceActionDelivery.SweepAsync"/>).
/// </summary>
public sealed partial class DeviceActionSweeper(DeviceActionDelivery delivery, Leases leases, TimeProvider clock, ILogger<DeviceActionSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await leases.TryHoldAsync(LeaseNames.DeviceActions, stoppingToken))
                {
                    await delivery.SweepAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not expire or time out device actions")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

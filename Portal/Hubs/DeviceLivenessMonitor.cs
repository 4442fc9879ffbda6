using Portal.Features.Cluster;

namespace Portal.Hubs;

/// <summary>Closes the connections of devices that stopped heartbeating, so they show Offline even if TCP has not noticed.</summary>
internal sealed partial class DeviceLivenessMonitor(DeviceConnectionRegistry registry, TimeProvider clock, ILogger<DeviceLivenessMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var silent in registry.Silent())
            {
                LogSilent(logger, silent.DeviceId, silent.LastHeartbeat);
                silent.Context.Abort();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} missed its heartbeats (last {LastHeartbeat:u}); closing its connection")]
    private static partial void LogSilent(ILogger logger, string deviceId, DateTimeOffset lastHeartbeat);
}

using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Connection;
using Portal.Agent.Inventory;
using Portal.Shared.Hubs;
using Portal.Shared.Telemetry;

namespace Portal.Agent.Telemetry;

/// <summary>Samples the machine on a fixed interval into the outbox, connected or not, and drains the outbox when it can.</summary>
public sealed partial class TelemetryPump(IOptions<AgentOptions> options, TimeProvider clock, ILogger<TelemetryPump> logger)
{
    private readonly Lazy<TelemetryOutbox> outbox = new(() => new TelemetryOutbox(options.Value.DataDirectory, options.Value.OutboxMaxSamples, logger));

    public TelemetryOutbox Outbox => outbox.Value;

    public async Task RunSamplingAsync(CancellationToken stoppingToken)
    {
        var sampler = new SystemSampler(options.Value.DataDirectory, clock, options.Value.ProcDirectory);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TelemetryIntervalSeconds), clock);
        do
        {
            try
            {
                var (gpuPercent, gpuMemory) = await GpuProbe.SampleAsync(stoppingToken);
                Outbox.Append(sampler.Sample() with { GpuPercent = gpuPercent, GpuMemoryUsedBytes = gpuMemory });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failed reading must not end sampling; the next tick tries again.
                LogSampleFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Sends the outbox in order, batch after batch, forgetting each batch once the portal acknowledges it.</summary>
    public async Task FlushAsync(AgentHubClient hub)
    {
        while (hub.IsConnected && Outbox.NextBatch() is { } batch)
        {
            var last = batch.Samples.Count > 0 ? batch.Samples[^1].Sequence : 0;
            try
            {
                var acknowledged = await hub.SendTelemetry(batch);
                Outbox.Acknowledge(acknowledged);
                if (acknowledged < last || batch.Samples.Count < TelemetryBatch.MaxSamples)
                {
                    return;
                }
            }
            catch (AgentHubRejectedException rejected) when (rejected.Rejection == AgentHubRejections.Telemetry)
            {
                // Resending the same samples would be rejected forever; say so and move on.
                LogRejected(logger, batch.Samples.Count, rejected.Reason);
                Outbox.Acknowledge(last);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not take a telemetry sample: {Error}")]
    private static partial void LogSampleFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The portal rejected {Count} telemetry samples, which are discarded: {Reason}")]
    private static partial void LogRejected(ILogger logger, int count, string reason);
}

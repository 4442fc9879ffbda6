using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Connection;
using Portal.Agent.DataFlows;
using Portal.Agent.Storage;
using Portal.Shared.DeviceData;
using Portal.Shared.Hubs;

namespace Portal.Agent.DeviceData;

/// <summary>
/// The data flows' Portal sink: every value goes into a durable outbox (<c>{data}/device-data</c>) at once, connected or
/// not, and is sent shortly after, in batches, while the portal can be reached. Nothing is forgotten before the portal
/// acknowledges it, so an outage or an agent restart loses nothing and a resend is stored once.
/// </summary>
public sealed partial class DeviceDataPump(IOptions<AgentOptions> options, ILogger<DeviceDataPump> logger) : IFlowDataSink
{
    /// <summary>How long the pump waits after a first new value for more to join its batch.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(250);

    private readonly Lazy<SequencedOutbox<DeviceDataPoint>> outbox = new(() => new SequencedOutbox<DeviceDataPoint>(
        Path.Combine(options.Value.DataDirectory, "device-data"), options.Value.DeviceDataOutboxMaxPoints,
        p => p.Sequence, (p, sequence) => p with { Sequence = sequence }, "device data points", logger));

    // A wake-up for the sender: one slot, further wake-ups while it is full are dropped (one is enough).
    private readonly Channel<bool> added = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public SequencedOutbox<DeviceDataPoint> Outbox => outbox.Value;

    public ValueTask AddAsync(string flow, string series, double value, string? unit, DateTimeOffset time, CancellationToken ct)
    {
        if (!double.IsFinite(value))
        {
            // JSON has no NaN, and the portal would refuse the whole batch for it: this value alone fails.
            throw new ArgumentException($"{value} is not a finite number; the portal stores numbers only.", nameof(value));
        }

        if (unit is { Length: > DeviceDataPoint.MaxUnitLength })
        {
            // The flow's validator refuses such units; a point the portal would refuse must not hold up the others.
            unit = unit[..DeviceDataPoint.MaxUnitLength];
        }

        Outbox.Append(new DeviceDataPoint(0, series, value, unit, time, flow));
        added.Writer.TryWrite(true);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends what is waiting, then whatever comes, until the connection closes.</summary>
    public async Task RunSendingAsync(AgentHubClient hub, Task closed, TimeProvider clock, CancellationToken ct)
    {
        // One wait kept across turns: a new one every turn would pile up waiters in the channel while nothing is added.
        Task<bool>? waiting = null;
        while (!closed.IsCompleted && !ct.IsCancellationRequested)
        {
            try
            {
                await FlushAsync(hub);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // The connection dropped mid-call: the points stay in the outbox and go with the next flush.
                LogSendFailed(logger, ex.Message);
            }

            // Woken by a new value (or every few seconds, to retry after a failure), then a moment for more to join.
            waiting ??= added.Reader.WaitToReadAsync(ct).AsTask();
            await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(5), clock, ct), closed);
            if (waiting.IsCompleted)
            {
                waiting = null;
                added.Reader.TryRead(out _);
            }

            await Task.Delay(Gather, clock, ct);
        }
    }

    /// <summary>Sends the outbox in order, batch after batch, forgetting each batch once the portal acknowledges it.</summary>
    public async Task FlushAsync(AgentHubClient hub)
    {
        while (hub.IsConnected && Outbox.Next(DeviceDataBatch.MaxPoints) is var (points, dropped))
        {
            var last = points.Count > 0 ? points[^1].Sequence : 0;
            try
            {
                var acknowledged = await hub.SendDeviceData(new DeviceDataBatch(points, dropped));
                Outbox.Acknowledge(acknowledged);
                if (acknowledged < last || points.Count < DeviceDataBatch.MaxPoints)
                {
                    return;
                }
            }
            catch (AgentHubRejectedException rejected) when (rejected.Rejection == AgentHubRejections.DeviceData)
            {
                // Resending the same points would be rejected forever; say so and move on.
                LogRejected(logger, points.Count, rejected.Reason);
                Outbox.Acknowledge(last);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send device data ({Error}); it stays on the device and is sent again")]
    private static partial void LogSendFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The portal rejected {Count} device data points, which are discarded: {Reason}")]
    private static partial void LogRejected(ILogger logger, int count, string reason);
}

using Portal.Common;
using Portal.Features.Cluster;
using Portal.Features.DeviceData;
using Portal.Features.Models.Monitoring;
using Portal.Features.Telemetry;

namespace Portal.Features.Alerts;

/// <summary>
/// What the evaluator should look at next: devices that sent telemetry or data since its last pass (heard from the
/// notifier, so from any instance), and whether a full pass is wanted. News only wakes it; the data is read from the
/// database, so a lost message delays an alert until the next full sweep, never loses it.
/// </summary>
public sealed class AlertSignal : Wakeup, IDisposable
{
    private readonly Lock gate = new();
    private readonly IDisposable[] subscriptions;
    private HashSet<string> dirty = new(StringComparer.Ordinal);
    private bool full;

    public AlertSignal(Notifier<TelemetryReceived> telemetryNews, Notifier<DeviceDataReceived> dataNews, Notifier<PresenceChanged> presenceNews,
        Notifier<DriftMeasured> driftNews) =>
        subscriptions =
        [
            telemetryNews.Subscribe(e => Mark(e.DeviceId)),
            dataNews.Subscribe(e => Mark(e.DeviceId)),
            // A device going offline or coming back, a drift measured: the snapshot rules are judged now, not at the next tick.
            presenceNews.Subscribe(_ => WakeNow()),
            driftNews.Subscribe(_ => WakeNow()),
        ];

    /// <summary>Asks for a pass now; <paramref name="full"/>: over every device and rule.</summary>
    public void Wake(bool full)
    {
        if (full)
        {
            lock (gate)
            {
                this.full = true;
            }
        }

        Wake();
    }

    /// <summary>The devices marked since the last call, and whether a full pass was asked for; both cleared.</summary>
    public (IReadOnlyCollection<string> Devices, bool Full) Take()
    {
        lock (gate)
        {
            var taken = (dirty, full);
            (dirty, full) = (new HashSet<string>(StringComparer.Ordinal), false);
            return taken;
        }
    }

    public void Dispose()
    {
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }

    private Task Mark(string deviceId)
    {
        lock (gate)
        {
            dirty.Add(deviceId);
        }

        return WakeNow();
    }

    private Task WakeNow()
    {
        Wake();
        return Task.CompletedTask;
    }
}

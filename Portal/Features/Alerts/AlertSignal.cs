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
public sealed class AlertSignal : IDisposable
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly IDisposable telemetry;
    private readonly IDisposable data;
    private readonly IDisposable presence;
    private readonly IDisposable drift;
    private HashSet<string> dirty = new(StringComparer.Ordinal);
    private bool full;

    public AlertSignal(Notifier<TelemetryReceived> telemetryNews, Notifier<DeviceDataReceived> dataNews, Notifier<PresenceChanged> presenceNews,
        Notifier<DriftMeasured> driftNews)
    {
        telemetry = telemetryNews.Subscribe(e => Mark(e.DeviceId));
        data = dataNews.Subscribe(e => Mark(e.DeviceId));
        // A device going offline or coming back: the offline rules are judged now rather than at the next tick.
        presence = presenceNews.Subscribe(_ =>
        {
            Release();
            return Task.CompletedTask;
        });
        drift = driftNews.Subscribe(_ =>
        {
            Release();
            return Task.CompletedTask;
        });
    }

    /// <summary>Asks for a pass now; <paramref name="full"/>: over every device and rule.</summary>
    public void Wake(bool full = false)
    {
        if (full)
        {
            lock (gate)
            {
                this.full = true;
            }
        }

        Release();
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

    /// <summary>Waits until woken or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            using var tick = new CancellationTokenSource(timeout, clock);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, ct);
            await wake.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        telemetry.Dispose();
        data.Dispose();
        presence.Dispose();
        drift.Dispose();
        wake.Dispose();
    }

    private Task Mark(string deviceId)
    {
        lock (gate)
        {
            dirty.Add(deviceId);
        }

        Release();
        return Task.CompletedTask;
    }

    private void Release()
    {
        try
        {
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }
}

using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Agent.Connection;
using Portal.Agent.Enrollment;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;

namespace Portal.Load;

/// <summary>
/// One simulated device, speaking to the hub as <c>Portal.Agent</c> does (its <see cref="PortalConnection"/> and
/// <see cref="JitteredRetryPolicy"/>, its connect and reconnect loop): inventory and desired state after every connect, then
/// a heartbeat and the telemetry outbox every interval. A pushed desired state is acknowledged at once with a report that
/// every workload runs (models Ready, containers Running), which is what the real agent reports after reconciling.
/// </summary>
internal sealed class SimAgent(Uri portal, AgentCredentials credentials, int index, Fleet fleet)
{
    private readonly List<TelemetrySample> outbox = [];
    private long sequence;
    private DesiredState desired = DesiredState.Empty;

    public bool Online { get; private set; }

    public DesiredState Desired => desired;

    /// <summary>The revision of the newest desired state received, and when (<see cref="Stopwatch"/> ticks).</summary>
    public (long Revision, long At) LastApply { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var retry = new JitteredRetryPolicy(Random.Shared);
        await using var connection = PortalConnection.Build(portal, credentials, retry);
        using var apply = connection.On<DesiredState>(nameof(IAgentClient.ApplyDesiredState), state => Apply(connection, state, ct));
        using var resync = connection.On(nameof(IAgentClient.Resync), () => _ = ReportAsync(connection, ct));
        connection.Reconnecting += _ =>
        {
            SetOffline();
            return Task.CompletedTask;
        };
        connection.Reconnected += async _ =>
        {
            Interlocked.Increment(ref fleet.Reconnects);
            await SyncAsync(connection, ct);
        };
        for (var round = 0; !ct.IsCancellationRequested; round++)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Func<Exception?, Task> onClosed = _ =>
            {
                SetOffline();
                closed.TrySetResult();
                return Task.CompletedTask;
            };
            connection.Closed += onClosed;
            try
            {
                if (!await ConnectAsync(connection, retry, ct))
                {
                    return;
                }

                await RunConnectedAsync(connection, closed.Task, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                connection.Closed -= onClosed;
            }

            // The automatic reconnect gave up (the real agent then starts over, as here).
            Interlocked.Increment(ref fleet.GaveUp);
            await Task.Delay(retry.Delay(Math.Min(round, 3)), ct);
        }
    }

    private async Task<bool> ConnectAsync(HubConnection connection, JitteredRetryPolicy retry, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await connection.StartAsync(ct);
                await SyncAsync(connection, ct);
                return true;
            }
            catch (Exception ex) when (JitteredRetryPolicy.IsRefusal(ex))
            {
                Interlocked.Increment(ref fleet.Refused);
                return false;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref fleet.ConnectFailures);
                await Task.Delay(retry.Delay(attempt), ct);
            }
        }
    }

    /// <summary>What the agent does after every connect: inventory, the current desired state, the last report.</summary>
    private async Task SyncAsync(HubConnection connection, CancellationToken ct)
    {
        try
        {
            await connection.InvokeAsync(nameof(IAgentHub.ReportInventory), Inventory(), ct);
            Apply(connection, await connection.InvokeAsync<DesiredState>(nameof(IAgentHub.GetDesiredState), ct), ct, report: false);
            await ReportAsync(connection, ct);
            Online = true;
            fleet.OnlineChanged(+1);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref fleet.SyncFailures);
        }
    }

    private void SetOffline()
    {
        if (Online)
        {
            Online = false;
            fleet.OnlineChanged(-1);
        }
    }

    private async Task RunConnectedAsync(HubConnection connection, Task closed, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(fleet.IntervalSeconds);
        while (!closed.IsCompleted)
        {
            if (connection.State == HubConnectionState.Connected)
            {
                outbox.Add(Sample());
                if (outbox.Count > TelemetryBatch.MaxSamples)
                {
                    outbox.RemoveAt(0);
                }

                try
                {
                    await connection.InvokeAsync(nameof(IAgentHub.Heartbeat), fleet.IntervalSeconds, ct);
                    var started = Stopwatch.GetTimestamp();
                    var acked = await connection.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry), new TelemetryBatch([.. outbox], 0), ct);
                    fleet.Telemetry.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref fleet.TelemetrySent);
                    outbox.RemoveAll(s => s.Sequence <= acked);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    fleet.Telemetry.Fail();
                }
            }

            await Task.WhenAny(Task.Delay(interval, ct), closed);
            ct.ThrowIfCancellationRequested();
        }
    }

    private void Apply(HubConnection connection, DesiredState state, CancellationToken ct, bool report = true)
    {
        lock (outbox)
        {
            if (state.Revision <= desired.Revision)
            {
                return;
            }

            desired = state;
            LastApply = (state.Revision, Stopwatch.GetTimestamp());
        }

        fleet.Applied(this, state);
        if (report)
        {
            _ = ReportAsync(connection, ct);
        }
    }

    private async Task ReportAsync(HubConnection connection, CancellationToken ct)
    {
        var state = desired;
        var now = DateTimeOffset.UtcNow;
        var statuses = state.Containers().Select(w => new WorkloadStatus(w.Name, w.DeploymentId, w.SpecHash, WorkloadState.Running, null, w.Image, "sim", now, 0, 0.5, 10 << 20))
            .Concat(state.ModelSpecs().Select(m => new WorkloadStatus(m.Name, m.DeploymentId, m.SpecHash, WorkloadState.Ready, null, $"{m.Name} v{m.Version}",
                null, now, 0, null, null, null, WorkloadKind.Model)))
            .ToList();
        try
        {
            await connection.InvokeAsync(nameof(IAgentHub.ReportWorkloads), new WorkloadReport(state.Revision, statuses, now), ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref fleet.ReportFailures);
        }
    }

    private TelemetrySample Sample() =>
        new(++sequence, DateTimeOffset.UtcNow, 20 + (index % 50), 1L << 30, 4L << 30, 10L << 30, 64L << 30, 0.5, sequence * 1000, sequence * 800, 45.5, null, null);

    // A model-capable agent version: the portal refuses models to agents before 0.2.0 (DeploymentChecks); from 0.3.0 it sends the one list of workloads only.
    private DeviceInventory Inventory() =>
        new($"load-{index}", "Linux", "Debian 12", "X64", "simulated", 4, 4L << 30, 64L << 30, 54L << 30, "0.3.0-load", null, "1.31.1", ["CPUExecutionProvider"], []);
}

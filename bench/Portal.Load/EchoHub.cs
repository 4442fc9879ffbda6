using Microsoft.AspNetCore.SignalR;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Models;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;

namespace Portal.Load;

/// <summary>
/// The baseline: the agent hub's contract with nothing behind it. No authentication, no database, no notifier; telemetry
/// is answered with the batch's last sequence. Every connection joins one group for the fan-out baseline.
/// </summary>
internal sealed class EchoHub : Hub<IAgentClient>, IAgentHub
{
    public const string Everyone = "all";

    public override Task OnConnectedAsync() => Groups.AddToGroupAsync(Context.ConnectionId, Everyone);

    public Task ReportInventory(DeviceInventory inventory) => Task.CompletedTask;

    public Task Heartbeat(int intervalSeconds) => Task.CompletedTask;

    public Task<long> SendTelemetry(TelemetryBatch batch) => Task.FromResult(batch.Samples.Count == 0 ? 0 : batch.Samples[^1].Sequence);

    public Task<long> SendDeviceData(Portal.Shared.DeviceData.DeviceDataBatch batch) => Task.FromResult(batch.Points.Count == 0 ? 0 : batch.Points[^1].Sequence);

    public Task<DesiredState> GetDesiredState() => Task.FromResult(DesiredState.Empty);

    public Task<string> GetReleaseKey() => Task.FromResult("");

    public Task ReportWorkloads(WorkloadReport report) => Task.CompletedTask;

    public Task ReportInferenceMetrics(InferenceMetricsReport report) => Task.CompletedTask;

    public Task ReportProfile(ProfileReport report) => Task.CompletedTask;

    public Task ReportAction(DeviceActionReport report) => Task.CompletedTask;

    public Task SendLogs(LogChunk chunk) => Task.CompletedTask;

    /// <summary>The fan-out baseline: one group send of the given desired state to every connection.</summary>
    public Task Broadcast(DesiredState state) => Clients.Group(Everyone).ApplyDesiredState(state);
}

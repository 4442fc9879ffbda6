using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Shared.DeviceData;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Models;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;

namespace Portal.Agent.Connection;

/// <summary>
/// The agent's one way to call the portal: <see cref="IAgentHub"/> over the hub connection, typed, each call bound to
/// <paramref name="stoppingToken"/>. A refusal by the portal comes out as <see cref="AgentHubRejectedException"/>.
/// </summary>
public sealed class AgentHubClient(HubConnection connection, CancellationToken stoppingToken) : IAgentHub
{
    public bool IsConnected => connection.State == HubConnectionState.Connected;

    public Task ReportInventory(DeviceInventory inventory) => Call(nameof(IAgentHub.ReportInventory), inventory);

    public Task Heartbeat(int intervalSeconds) => Call(nameof(IAgentHub.Heartbeat), intervalSeconds);

    public Task<long> SendTelemetry(TelemetryBatch batch) => Call<long>(nameof(IAgentHub.SendTelemetry), batch);

    public Task<long> SendDeviceData(DeviceDataBatch batch) => Call<long>(nameof(IAgentHub.SendDeviceData), batch);

    public Task<DesiredState> GetDesiredState() => Call<DesiredState>(nameof(IAgentHub.GetDesiredState));

    public Task<string> GetReleaseKey() => Call<string>(nameof(IAgentHub.GetReleaseKey));

    public Task ReportWorkloads(WorkloadReport report) => Call(nameof(IAgentHub.ReportWorkloads), report);

    public Task ReportInferenceMetrics(InferenceMetricsReport report) => Call(nameof(IAgentHub.ReportInferenceMetrics), report);

    public Task ReportProfile(ProfileReport report) => Call(nameof(IAgentHub.ReportProfile), report);

    public Task ReportAction(DeviceActionReport report) => Call(nameof(IAgentHub.ReportAction), report);

    public Task SendLogs(LogChunk chunk) => Call(nameof(IAgentHub.SendLogs), chunk);

    private async Task Call(string method, params object?[] args)
    {
        try
        {
            await connection.InvokeCoreAsync(method, args, stoppingToken);
        }
        catch (HubException ex) when (AgentHubRejections.Parse(ex.Message) is { } refusal)
        {
            throw new AgentHubRejectedException(refusal.Rejection, refusal.Reason, ex);
        }
    }

    private async Task<T> Call<T>(string method, params object?[] args)
    {
        try
        {
            return await connection.InvokeCoreAsync<T>(method, args, stoppingToken);
        }
        catch (HubException ex) when (AgentHubRejections.Parse(ex.Message) is { } refusal)
        {
            throw new AgentHubRejectedException(refusal.Rejection, refusal.Reason, ex);
        }
    }
}

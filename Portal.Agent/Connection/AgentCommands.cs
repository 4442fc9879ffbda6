using Microsoft.AspNetCore.SignalR.Client;
using Portal.Agent.Enrollment;
using Portal.Agent.Inference;
using Portal.Agent.Reconciler;
using Portal.Shared.Models;
using Portal.Shared.Hubs;
using Portal.Shared.Workloads;

namespace Portal.Agent.Connection;

/// <summary>Binds what the portal may ask of the agent (<see cref="IAgentClient"/>) to the reconciler, the container driver and the model profiler.</summary>
public static partial class AgentCommands
{
    public static IDisposable Bind(HubConnection connection, AgentHubClient portal, WorkloadReconciler reconciler, ContainerDriver containers, ModelProfiler profiler, Portal.Agent.Actions.DeviceActionRunner actions, AgentCredentials credentials, CancellationToken stoppingToken)
    {
        var handlers = new List<IDisposable>
        {
            connection.On<DesiredState>(nameof(IAgentClient.ApplyDesiredState), reconciler.Apply),
            connection.On(nameof(IAgentClient.Resync), reconciler.Wake),
            connection.On<string>(nameof(IAgentClient.RestartWorkload), async name =>
            {
                await containers.RestartAsync(name, stoppingToken);
                reconciler.Wake();
            }),
            connection.On<string, int>(nameof(IAgentClient.StartLogs), (workload, tail) =>
                containers.StartLogsAsync(workload, tail, portal.SendLogs, stoppingToken)),
            connection.On<string>(nameof(IAgentClient.StopLogs), containers.StopLogs),
            connection.On<string, int, IReadOnlyList<LogLine>>(nameof(IAgentClient.GetLogs), (workload, tail) => containers.TailLogsAsync(workload, tail, stoppingToken)),
            connection.On<ProfileJob>(nameof(IAgentClient.ProfileModel), job => _ = Task.Run(() => ProfileAsync(portal, profiler, credentials, job, stoppingToken), stoppingToken)),
            connection.On<DeviceActionJob>(nameof(IAgentClient.RunAction), job => actions.Run(portal, job, stoppingToken)),
        };
        return new Handlers(handlers);
    }

    /// <summary>After every connect: take the portal's current desired state (pushes may have been missed) and say how things stand.</summary>
    public static async Task SyncWorkloadsAsync(AgentHubClient portal, WorkloadReconciler reconciler, WorkloadReporter reporter, ILogger logger, CancellationToken ct)
    {
        try
        {
            reconciler.Apply(await portal.GetDesiredState());
            await reporter.ConnectedAsync(portal);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogSyncFailed(logger, ex.Message);
        }
    }

    /// <summary>Runs a profile job off the connection's handler (other commands keep flowing) and reports the result.</summary>
    private static async Task ProfileAsync(AgentHubClient portal, ModelProfiler profiler, AgentCredentials credentials, ProfileJob job, CancellationToken ct)
    {
        var result = await profiler.ProfileAsync(job, credentials, ct);
        try
        {
            await portal.ReportProfile(new ProfileReport(job.ProfileId, result));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The portal marks the run failed when no answer comes in time.
            LogProfileNotReported(profiler.Logger, job.ProfileId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report profile run {ProfileId}: {Error}")]
    private static partial void LogProfileNotReported(ILogger logger, string profileId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the desired state or report workloads: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string error);

    private sealed class Handlers(List<IDisposable> handlers) : IDisposable
    {
        public void Dispose() => handlers.ForEach(h => h.Dispose());
    }
}

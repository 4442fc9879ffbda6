using System.Reflection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Connection;
using Portal.Agent.DeviceData;
using Portal.Agent.Enrollment;
using Portal.Agent.Inference;
using Portal.Shared.Models;
using Portal.Agent.Inventory;
using Portal.Agent.Reconciler;
using Portal.Agent.Telemetry;

namespace Portal.Agent;

/// <summary>
/// The agent's main loop: make sure the device is enrolled, stay connected to the portal, report the inventory on
/// every connect and heartbeat while connected. Stops with a clear line when the portal refuses the device.
/// </summary>
internal sealed partial class AgentWorker(
    IOptions<AgentOptions> options,
    AgentIdentity identity,
    InventoryCollector inventory,
    TelemetryPump telemetry,
    DeviceDataPump deviceData,
    WorkloadReconciler reconciler,
    ContainerDriver containers,
    WorkloadReporter reporter,
    ModelHost served,
    ModelProfiler profiler,
    Portal.Agent.Updates.UpdateCheckIn updates,
    Portal.Agent.Actions.DeviceActionRunner actions,
    IHostApplicationLifetime lifetime,
    AgentExit exit,
    TimeProvider clock,
    ILogger<AgentWorker> logger) : BackgroundService
{
    public static string Version { get; } =
        typeof(AgentWorker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "dev";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var dataDirectory = Path.GetFullPath(o.DataDirectory);
        // The enrollment token is a secret: say whether one was given, never what it is.
        LogConfiguration(logger, Version, o.PortalUrl!, o.Name, dataDirectory,
            TokenSource(o), o.DockerEndpoint, o.TelemetryIntervalSeconds, o.Inference.Port);
        try
        {
            var credentials = await identity.EnsureAsync(stoppingToken);
            if (credentials is null)
            {
                Stop(AgentExitCodes.EnrollmentRefused);
                return;
            }

            updates.Start(credentials);
            actions.Start(credentials.DeviceId);
            // Sampling goes on whether or not the portal can be reached; the outbox keeps what it cannot send yet.
            var sampling = telemetry.RunSamplingAsync(stoppingToken);
            // So does reconciling: an agent that starts while the portal is away keeps running its last desired state.
            var reconciling = reconciler.RunAsync(credentials, stoppingToken);
            await StayConnectedAsync(new Uri(o.PortalUrl!), credentials, stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await sampling;
            await reconciling;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (CredentialsDamagedException ex)
        {
            // Not a crash: a sentence for the person at the device, no stack trace.
            LogCredentialsDamaged(logger, ex.Message);
            Stop(AgentExitCodes.CredentialsDamaged);
        }
        catch (Exception ex)
        {
            // Anything unexpected stops the agent with a reason and a non-zero code.
            LogCrashed(logger, ex);
            Stop(AgentExitCodes.Failed);
        }

        LogStopping(logger);
    }

    /// <summary>
    /// Connects, and connects again whenever the portal closes the connection (restart, missed heartbeats, a newer
    /// connection of the same device). Only the portal refusing the device's secret ends it.
    /// </summary>
    private async Task StayConnectedAsync(Uri portal, AgentCredentials credentials, CancellationToken stoppingToken)
    {
        var retry = new JitteredRetryPolicy(Random.Shared);
        await using var connection = PortalConnection.Build(portal, credentials, retry);
        var hub = new AgentHubClient(connection, stoppingToken);
        using var revoked = connection.OnRevoked(reason => LogRevoked(logger, reason));
        using var commands = AgentCommands.Bind(connection, hub, reconciler, containers, profiler, actions, credentials, stoppingToken);
        connection.Reconnected += async _ =>
        {
            var reported = await ReportInventoryAsync(hub, stoppingToken);
            await AgentCommands.SyncWorkloadsAsync(hub, reconciler, reporter, logger, stoppingToken);
            await updates.ConnectedAsync(hub, credentials, reported);
            await actions.ConnectedAsync(hub);
        };
        for (var round = 0; ; round++)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Func<Exception?, Task> onClosed = _ =>
            {
                reporter.Disconnected();
                containers.StopLogs();
                closed.TrySetResult();
                return Task.CompletedTask;
            };
            connection.Closed += onClosed;
            try
            {
                if (!await ConnectAsync(connection, hub, portal, credentials, retry, stoppingToken))
                {
                    return;
                }

                // Device data goes as it comes, not on the heartbeat's interval: live charts, and a backlog drained at once.
                var sending = deviceData.RunSendingAsync(hub, closed.Task, clock, stoppingToken);
                await RunConnectedAsync(hub, closed.Task, stoppingToken);
                await sending;
            }
            finally
            {
                connection.Closed -= onClosed;
            }

            var delay = retry.Delay(Math.Min(round, 3));
            LogClosed(logger, delay.TotalSeconds);
            await Task.Delay(delay, clock, stoppingToken);
        }
    }

    /// <summary>Starts the connection, retrying with backoff; false when the portal refused the device (the agent stops).</summary>
    private async Task<bool> ConnectAsync(HubConnection connection, AgentHubClient hub, Uri portal, AgentCredentials credentials, JitteredRetryPolicy retry, CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await connection.StartAsync(stoppingToken);
                LogConnected(logger, portal, credentials.DeviceId);
                var reported = await ReportInventoryAsync(hub, stoppingToken);
                await AgentCommands.SyncWorkloadsAsync(hub, reconciler, reporter, logger, stoppingToken);
                // Only now is a new version proven: connected, inventory reported, desired state fetched.
                await updates.ConnectedAsync(hub, credentials, reported);
                await actions.ConnectedAsync(hub);
                return true;
            }
            catch (Exception ex) when (IsRefusal(ex))
            {
                LogRefused(logger, credentials.DeviceId, new CredentialStore(options.Value.DataDirectory).FilePath);
                Stop(AgentExitCodes.CredentialsRefused);
                return false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Failed after the connection started (a step after connecting threw): start again from Disconnected,
                // or every retry would fail with "cannot be started if it is not in the Disconnected state".
                if (connection.State != HubConnectionState.Disconnected)
                {
                    await connection.StopAsync(CancellationToken.None);
                }

                var delay = retry.Delay(attempt);
                LogUnreachable(logger, portal, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, clock, stoppingToken);
            }
        }
    }

    private static string TokenSource(AgentOptions o) =>
        !string.IsNullOrEmpty(o.EnrollmentToken) ? "given"
        : !string.IsNullOrEmpty(o.EnrollmentTokenFile) ? $"in {Path.GetFullPath(o.EnrollmentTokenFile)}"
        : "not given";

    private static bool IsRefusal(Exception ex) =>
        JitteredRetryPolicy.IsRefusal(ex) || (ex is AggregateException aggregate && aggregate.InnerExceptions.Any(JitteredRetryPolicy.IsRefusal));

    /// <summary>Heartbeats and drains the telemetry outbox until the connection closes for good.</summary>
    private async Task RunConnectedAsync(AgentHubClient hub, Task closed, CancellationToken stoppingToken)
    {
        var interval = options.Value.TelemetryIntervalSeconds;
        var servedModels = -1;
        while (!closed.IsCompleted)
        {
            if (hub.IsConnected)
            {
                try
                {
                    await hub.Heartbeat(interval);
                    await telemetry.FlushAsync(hub);
                    // While models are served, and once more after the last one went, so the portal drops its rows.
                    var metrics = served.Metrics();
                    if (metrics.Count > 0 || servedModels > 0)
                    {
                        await hub.ReportInferenceMetrics(new InferenceMetricsReport(metrics, clock.GetUtcNow()));
                        servedModels = metrics.Count;
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The connection dropped mid-call: the samples stay in the outbox and go with the next flush.
                    LogSendFailed(logger, ex.Message);
                }
            }

            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(interval), clock, stoppingToken), closed);
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<bool> ReportInventoryAsync(AgentHubClient hub, CancellationToken ct)
    {
        try
        {
            await hub.ReportInventory(await inventory.CollectAsync(ct));
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogInventoryFailed(logger, ex.Message);
            return false;
        }
    }

    private void Stop(int exitCode)
    {
        exit.Code = exitCode;
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Portal.Agent {Version} configured: portal {PortalUrl}, device name {Name}, data directory {DataDirectory}, " +
        "enrollment token {Token}, Docker {DockerEndpoint}, telemetry every {Interval} s, inference on 127.0.0.1:{Port}")]
    private static partial void LogConfiguration(ILogger logger, string version, string portalUrl, string name, string dataDirectory,
        string token, string dockerEndpoint, int interval, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Portal} as device {DeviceId}")]
    private static partial void LogConnected(ILogger logger, Uri portal, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the portal at {Portal} ({Error}); retrying in {Seconds:F0} s")]
    private static partial void LogUnreachable(ILogger logger, Uri portal, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The portal closed the connection; connecting again in {Seconds:F0} s")]
    private static partial void LogClosed(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The portal says: {Reason}")]
    private static partial void LogRevoked(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The portal refused the credentials of device {DeviceId} (the secret in {Path}): the device was decommissioned or deleted on the portal, " +
        "or the file holds a secret the portal never issued to it (copied from another device or restored from an old backup). " +
        "The agent stops and will not retry; enroll it again with a new token if it should come back.")]
    private static partial void LogRefused(ILogger logger, string deviceId, string path);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void LogCredentialsDamaged(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heartbeat or telemetry not delivered, will retry: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the inventory: {Error}")]
    private static partial void LogInventoryFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The agent failed and stops")]
    private static partial void LogCrashed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Portal.Agent is stopping.")]
    private static partial void LogStopping(ILogger logger);
}

using System.Reflection;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;

namespace Portal.Agent;

/// <summary>
/// The agent's main loop. For now it reports its configuration and waits for shutdown; enrollment, the hub
/// connection, telemetry and the reconciler arrive with the devices and deployments work.
/// </summary>
internal sealed partial class AgentWorker(IOptions<AgentOptions> options, ILogger<AgentWorker> logger) : BackgroundService
{
    public static string Version { get; } =
        typeof(AgentWorker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "dev";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var dataDirectory = Path.GetFullPath(o.DataDirectory);
        // The enrollment token is a secret: say whether one was given, never what it is.
        LogConfiguration(logger, Version, o.PortalUrl!, o.Name, dataDirectory,
            string.IsNullOrEmpty(o.EnrollmentToken) ? "not given" : "given", o.DockerEndpoint, o.TelemetryIntervalSeconds, o.Inference.Port);
        LogWaiting(logger);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogStopping(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Portal.Agent {Version} configured: portal {PortalUrl}, device name {Name}, data directory {DataDirectory}, " +
        "enrollment token {Token}, Docker {DockerEndpoint}, telemetry every {Interval} s, inference on 127.0.0.1:{Port}")]
    private static partial void LogConfiguration(ILogger logger, string version, string portalUrl, string name, string dataDirectory,
        string token, string dockerEndpoint, int interval, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to the portal is not built yet; the agent idles until stopped.")]
    private static partial void LogWaiting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Portal.Agent is stopping.")]
    private static partial void LogStopping(ILogger logger);
}

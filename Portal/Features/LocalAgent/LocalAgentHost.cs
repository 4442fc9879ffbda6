using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Agent;
using Portal.Configuration;
using Portal.Features.Audit;
using Portal.Features.Devices;
using Portal.Shared.Devices;

namespace Portal.Features.LocalAgent;

/// <summary>
/// With <c>Portal:LocalAgent:Enabled</c>, runs the real agent inside the portal process for the machine the portal
/// runs on (like Portainer's local environment): it enrolls once with a token the portal makes for it, then talks
/// to the portal over loopback exactly as a remote agent does.
/// </summary>
internal sealed partial class LocalAgentHost(
    IOptions<PortalOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    EnrollmentTokenService tokens,
    ILoggerFactory loggerFactory,
    ILogger<LocalAgentHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunLocalAgentAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The local agent is a convenience: its failure must never take the portal down.
            LogFailed(logger, ex);
        }
    }

    private async Task RunLocalAgentAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.LocalAgent.Enabled)
        {
            return;
        }

        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            LogNoAddress(logger);
            return;
        }

        var portalUrl = new UriBuilder(uri) { Host = "127.0.0.1" }.Uri.ToString();
        var dataDirectory = Path.Combine(options.Value.ResolvedDataDirectory, "local-agent");
        var settings = new Dictionary<string, string?>
        {
            ["Agent:PortalUrl"] = portalUrl,
            ["Agent:DataDirectory"] = dataDirectory,
            ["Agent:Name"] = $"{Environment.MachineName} (portal host)",
            // Inside the portal nothing would start the agent again after a restart action.
            ["Agent:Actions:Restartable"] = "false",
        };
        if (!File.Exists(Path.Combine(dataDirectory, "credentials.json")))
        {
            var token = await tokens.CreateAsync(
                new CreateEnrollmentTokenRequest("Local agent", 1, 1, new Dictionary<string, string> { ["local"] = "true" }), AuditActor.System, stoppingToken);
            settings["Agent:EnrollmentToken"] = token.Value!.Secret;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.Services.AddPortalAgent();
        using var host = builder.Build();
        LogStarting(logger, portalUrl);
        await host.RunAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The local agent failed; the portal carries on without it")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the local agent for this machine against {PortalUrl}")]
    private static partial void LogStarting(ILogger logger, string portalUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal:LocalAgent:Enabled is on, but the portal has no address to reach itself at; the local agent is not started")]
    private static partial void LogNoAddress(ILogger logger);
}

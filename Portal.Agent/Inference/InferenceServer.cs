using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;

namespace Portal.Agent.Inference;

/// <summary>
/// The device's local inference endpoint (Open Inference Protocol v2 over HTTP/JSON) on 127.0.0.1 only, started when
/// the first model is deployed. Apps on the device call it; nothing off the device can reach it.
/// </summary>
public sealed partial class InferenceServer(IOptions<AgentOptions> options, ModelHost host, ILogger<InferenceServer> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private WebApplication? app;

    /// <summary>The address it listens on, once started.</summary>
    public Uri? Address { get; private set; }

    /// <summary>Starts listening unless it already does; throws with a clear message when the port is taken.</summary>
    public async Task EnsureStartedAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (app is not null)
            {
                return;
            }

            var port = options.Value.Inference.Port;
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, port);
                k.Limits.MaxRequestBodySize = options.Value.Inference.MaxRequestBodyMb * 1024L * 1024;
            });
            builder.Services.AddRoutingCore();
            var web = builder.Build();
            web.Use((context, next) => InferenceErrorBodies.InvokeAsync(context, next, logger));
            InferenceEndpoints.Map(web, host);
            try
            {
                await web.StartAsync(ct);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                await web.DisposeAsync();
                throw new ModelArtifactException($"The inference endpoint could not listen on 127.0.0.1:{port}: {ex.Message}", ex);
            }

            app = web;
            var address = web.Urls.FirstOrDefault() ?? $"http://127.0.0.1:{port}";
            Address = new Uri(address);
            LogListening(logger, Address);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inference endpoint (Open Inference Protocol v2) listening on {Address}")]
    private static partial void LogListening(ILogger logger, Uri address);
}

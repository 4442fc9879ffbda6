using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
            Map(web);
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

    private void Map(WebApplication web)
    {
        web.MapGet("/v2", () => Results.Json(new { name = "edgeportal-agent", version = AgentWorker.Version, extensions = Array.Empty<string>() }));
        web.MapGet("/v2/health/live", () => Results.Ok());
        web.MapGet("/v2/health/ready", () => Results.Ok());
        web.MapGet("/v2/models/{name}/ready", (string name) => host.Find(name) is null ? NotFound(name) : Results.Ok());
        web.MapGet("/v2/models/{name}", (string name) => host.Find(name) is { } model ? Results.Json(Metadata(model)) : NotFound(name));
        web.MapGet("/v2/models/{name}/versions/{version}", (string name, string version) =>
            host.Find(name) is { } model && Same(model, version) ? Results.Json(Metadata(model)) : NotFound(name));
        web.MapPost("/v2/models/{name}/infer", (string name, HttpContext context) => InferAsync(name, null, context));
        web.MapPost("/v2/models/{name}/versions/{version}/infer", (string name, string version, HttpContext context) => InferAsync(name, version, context));
    }

    private static bool Same(ServedModel model, string version) => version == model.Spec.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object Metadata(ServedModel model) => new
    {
        name = model.Spec.Name,
        versions = new[] { model.Spec.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        platform = "onnxruntime_onnx",
        inputs = model.Signature.Inputs.Select(i => new { name = i.Name, datatype = i.Datatype, shape = i.Shape }),
        outputs = model.Signature.Outputs.Select(o => new { name = o.Name, datatype = o.Datatype, shape = o.Shape }),
        parameters = new { execution_provider = model.Provider, sha256 = model.Spec.Sha256 },
    };

    private static IResult NotFound(string name) => Results.Json(new { error = $"No model named '{name}' is served on this device." }, statusCode: 404);

    private async Task InferAsync(string name, string? version, HttpContext context)
    {
        var model = host.Find(name);
        if (model is null || (version is not null && !Same(model, version)))
        {
            await NotFound(name).ExecuteAsync(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            var id = request.RootElement.ValueKind == JsonValueKind.Object && request.RootElement.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            using var inputs = TensorCodec.ReadInputs(request.RootElement, model.Signature.Inputs);
            using var outputs = model.Run(inputs);
            context.Response.ContentType = "application/json";
            await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                TensorCodec.WriteResponse(json, model.Spec.Name, model.Spec.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), id, outputs);
            }

            failed = false;
        }
        catch (JsonException ex)
        {
            await Error(context, 400, $"The body is not valid JSON: {ex.Message}");
        }
        catch (InferenceRequestException ex)
        {
            await Error(context, 400, ex.Message);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex)
        {
            await Error(context, 400, $"The model could not run on these inputs: {ex.Message}");
        }
        finally
        {
            model.Metrics.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, failed);
        }
    }

    private static Task Error(HttpContext context, int status, string message) =>
        context.Response.HasStarted ? Task.CompletedTask : Results.Json(new { error = message }, statusCode: status).ExecuteAsync(context);

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

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.ML.OnnxRuntime;

namespace Portal.Agent.Inference;

/// <summary>
/// The Open Inference Protocol v2 REST surface (KServe's inference_rest.md): health, server and model metadata, model
/// readiness and inference, each with and without <c>/versions/{v}</c>. Every error is a 4xx with <c>{"error": "..."}</c>.
/// </summary>
public static class InferenceEndpoints
{
    public static void Map(IEndpointRouteBuilder web, ModelHost host)
    {
        web.MapGet("/v2", () => Results.Json(new { name = "edgeportal-agent", version = AgentWorker.Version, extensions = Array.Empty<string>() }));
        web.MapGet("/v2/health/live", () => Results.Ok());
        web.MapGet("/v2/health/ready", () => Results.Ok());
        web.MapGet("/v2/models/{name}", (string name) => Find(host, name, null, out var model) is { } error ? error : Results.Json(Metadata(model!)));
        web.MapGet("/v2/models/{name}/versions/{version}", (string name, string version) =>
            Find(host, name, version, out var model) is { } error ? error : Results.Json(Metadata(model!)));
        web.MapGet("/v2/models/{name}/ready", (string name) => Find(host, name, null, out _) ?? Results.Ok());
        web.MapGet("/v2/models/{name}/versions/{version}/ready", (string name, string version) => Find(host, name, version, out _) ?? Results.Ok());
        web.MapPost("/v2/models/{name}/infer", (string name, HttpContext context) => InferAsync(host, name, null, context));
        web.MapPost("/v2/models/{name}/versions/{version}/infer", (string name, string version, HttpContext context) => InferAsync(host, name, version, context));
    }

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static string VersionOf(ServedModel model) => model.Spec.Version.ToString(CultureInfo.InvariantCulture);

    /// <summary>A 404 naming what is served when the model (or that version of it) is not; null when it is.</summary>
    private static IResult? Find(ModelHost host, string name, string? version, out ServedModel? model)
    {
        model = host.Find(name);
        if (model is null)
        {
            var served = host.All.Select(m => m.Spec.Name).Order(StringComparer.Ordinal).ToList();
            return Error(404, $"No model named '{name}' is served on this device; it serves {(served.Count == 0 ? "none yet" : string.Join(", ", served))}.");
        }

        return version is null || version == VersionOf(model)
            ? null
            : Error(404, $"Model '{name}' is served here at version {VersionOf(model)}, not '{version}'.");
    }

    private static object Metadata(ServedModel model) => new
    {
        name = model.Spec.Name,
        versions = new[] { VersionOf(model) },
        platform = "onnxruntime_onnx",
        inputs = model.Signature.Inputs.Select(i => new { name = i.Name, datatype = i.Datatype, shape = i.Shape }),
        outputs = model.Signature.Outputs.Select(o => new { name = o.Name, datatype = o.Datatype, shape = o.Shape }),
        parameters = new { execution_provider = model.Provider, sha256 = model.Spec.Sha256 },
    };

    private static async Task InferAsync(ModelHost host, string name, string? version, HttpContext context)
    {
        // A model replaced by a new version between the lookup and the lease is looked up again.
        ServedModel? model = null;
        IDisposable? lease = null;
        for (var attempt = 0; attempt < 3 && lease is null; attempt++)
        {
            if (Find(host, name, version, out model) is { } notFound)
            {
                await notFound.ExecuteAsync(context);
                return;
            }

            lease = model!.Acquire();
        }

        if (lease is null)
        {
            await Error(404, $"Model '{name}' was just unloaded from this device.").ExecuteAsync(context);
            return;
        }

        using var held = lease;

        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            var root = request.RootElement;
            var id = TensorCodec.ReadId(root);
            var wanted = TensorCodec.ReadOutputNames(root, model!.Signature.Outputs);
            using var inputs = TensorCodec.ReadInputs(root, model.Signature.Inputs);
            var outputs = model.Run(inputs, wanted);
            context.Response.ContentType = "application/json";
            await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                TensorCodec.WriteResponse(json, model.Spec.Name, VersionOf(model), id, outputs);
            }

            failed = false;
            // After the answer is written: monitoring costs the caller nothing, and can never fail the request.
            Observe(model, inputs, outputs);
        }
        catch (JsonException ex)
        {
            await Write(context, Error(400, $"The body is not valid JSON: {ex.Message}"));
        }
        catch (InferenceRequestException ex)
        {
            await Write(context, Error(400, ex.Message));
        }
        catch (OnnxRuntimeException ex)
        {
            await Write(context, Error(400, $"The model could not run on these inputs: {ex.Message}"));
        }
        catch (BadHttpRequestException ex)
        {
            await Write(context, Error(ex.StatusCode, $"The request could not be read: {ex.Message}"));
        }
        finally
        {
            model!.Metrics.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, failed);
        }
    }

    private static void Observe(ServedModel model, TensorSet inputs, IReadOnlyList<OutputTensor> outputs)
    {
        try
        {
            model.Monitor.Observe(inputs, outputs);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or InvalidOperationException or ArgumentException or ObjectDisposedException)
        {
            // A tensor the monitor cannot read is not measured; the request already succeeded.
        }
    }

    private static Task Write(HttpContext context, IResult result) => context.Response.HasStarted ? Task.CompletedTask : result.ExecuteAsync(context);
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Inference;
using Portal.Common;
using Portal.Shared.Models;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Portal.Features.Models;

/// <summary>
/// "Try it": runs a model version in the portal itself on inputs an operator typed as Open Inference Protocol JSON,
/// exactly as a device's endpoint would take them. Sessions of the last few versions tried are kept open; one pushed
/// out is freed when the runs still using it end.
/// </summary>
public sealed class ModelPlayground(ModelRegistry registry, ArtifactStore store) : IDisposable
{
    private const int Cached = 4;

    /// <summary>The most output values "Try it" turns into JSON (a page cannot show more, and the text would be huge).</summary>
    internal const long MaxShownValues = 4_000_000;

    /// <summary>Largest tensor the optimizer may fold into a constant when a session opens here, in the portal's own
    /// process: a tiny model that expands a constant must not make the portal write gigabytes (the upload optimizer has
    /// the same limit, in a child process).</summary>
    internal const long FoldLimitBytes = 16L * 1024 * 1024;
    private readonly Lock gate = new();
    private readonly LinkedList<(string Sha, SharedSession Session)> sessions = new();

    public sealed record Outcome(string Json, double Milliseconds);

    /// <summary>A request with every input filled with a value of the right type and shape (symbolic dimensions as 1).</summary>
    public static string ExampleRequest(ModelSignature signature)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            foreach (var input in signature.Inputs)
            {
                var shape = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
                var count = TensorShapes.TryCount(shape, out var elements) ? Math.Min(elements, 100_000) : 0;
                json.WriteStartObject();
                json.WriteString("name", input.Name);
                json.WriteString("datatype", input.Datatype);
                json.WriteStartArray("shape");
                foreach (var d in shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data");
                for (var i = 0; i < count; i++)
                {
                    if (input.Datatype == "BOOL")
                    {
                        json.WriteBooleanValue(false);
                    }
                    else if (input.Datatype is "FP32" or "FP64" or "FP16" or "BF16")
                    {
                        json.WriteNumberValue(0.5);
                    }
                    else if (input.Datatype == "BYTES")
                    {
                        json.WriteStringValue("text");
                    }
                    else
                    {
                        json.WriteNumberValue(1);
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public async Task<OperationResult<Outcome>> RunAsync(string idOrName, int number, string requestJson, CancellationToken ct)
    {
        var version = await registry.GetVersionAsync(idOrName, number, ct);
        if (version is null || !store.Exists(version.Sha256))
        {
            return OperationResult<Outcome>.Fail(OperationOutcome.NotFound, $"There is no version {number} of model '{idOrName}'.");
        }

        if (requestJson.Length > 8 * 1024 * 1024)
        {
            return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, "The request is too large to try here (8 MB at most); use a device's endpoint.");
        }

        return await Task.Run(() =>
        {
            try
            {
                using var request = JsonDocument.Parse(requestJson);
                var (session, lease) = Lease(version.Sha256);
                using var held = lease;
                using var inputs = TensorCodec.ReadInputs(request.RootElement, version.Signature.Inputs);
                var started = Stopwatch.GetTimestamp();
                var names = version.Signature.Outputs.Select(o => o.Name).ToList();
                var outputs = ServedModel.RunAllocated(session, inputs, names);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var values = outputs.Sum(o => (long)o.Data.Length);
                if (values > MaxShownValues)
                {
                    return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"The model answered with {values:N0} values, more than can be shown here ({MaxShownValues:N0} at most); use a device's endpoint."));
                }

                using var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    TensorCodec.WriteResponse(json, version.ModelName, number.ToString(System.Globalization.CultureInfo.InvariantCulture), null, outputs);
                }

                return OperationResult<Outcome>.Ok(new Outcome(Encoding.UTF8.GetString(buffer.ToArray()), elapsed));
            }
            catch (JsonException ex)
            {
                return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, $"The inputs are not valid JSON. {JsonErrorText.Describe(ex)}");
            }
            catch (InferenceRequestException ex)
            {
                return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, ex.Message);
            }
            catch (OnnxRuntimeException ex)
            {
                return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, $"The model could not run on these inputs: {ServerPaths.Hide(ex.Message)}");
            }
        }, ct);
    }

    /// <summary>The version's cached session and a lease that keeps it open, even if it is evicted meanwhile.</summary>
    private (InferenceSession Session, IDisposable Lease) Lease(string sha)
    {
        lock (gate)
        {
            var node = sessions.First;
            while (node is not null && node.Value.Sha != sha)
            {
                node = node.Next;
            }

            if (node is not null)
            {
                sessions.Remove(node);
                sessions.AddFirst(node);
            }
            else
            {
                node = sessions.AddFirst((sha, new SharedSession(Open(store.PathOf(sha)))));
                if (sessions.Count > Cached)
                {
                    // Freed when the runs still using it end, not before.
                    sessions.Last!.Value.Session.Dispose();
                    sessions.RemoveLast();
                }
            }

            // Sessions in the list are never disposed, so the lease is always granted here.
            var shared = node.Value.Session;
            return (shared.Session, shared.Acquire()!);
        }
    }

    private static InferenceSession Open(string path)
    {
        using var options = new SessionOptions();
        options.AddSessionConfigEntry(ModelOptimizerProcess.FoldLimitKey, FoldLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new InferenceSession(path, options);
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var (_, session) in sessions)
            {
                session.Dispose();
            }

            sessions.Clear();
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Inference;
using Portal.Common;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// "Try it": runs a model version in the portal itself on inputs an operator typed as Open Inference Protocol JSON,
/// exactly as a device's endpoint would take them. Sessions of the last few versions tried are kept open.
/// </summary>
public sealed class ModelPlayground(ModelRegistry registry, ArtifactStore store) : IDisposable
{
    private const int Cached = 4;
    private readonly Lock gate = new();
    private readonly LinkedList<(string Sha, InferenceSession Session)> sessions = new();

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
                var count = Math.Min(shape.Aggregate(1L, (a, d) => a * d), 100_000);
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
                var session = Session(version.Sha256);
                using var inputs = TensorCodec.ReadInputs(request.RootElement, version.Signature.Inputs);
                var started = Stopwatch.GetTimestamp();
                var names = version.Signature.Outputs.Select(o => o.Name).ToList();
                using var runOptions = new RunOptions();
                List<OutputTensor> outputs;
                using (var results = session.Run(runOptions, inputs.Names, inputs.Values, names))
                {
                    // Copied out while ONNX Runtime's values are alive; they are freed when the block ends.
                    outputs = OrtTensors.CopyOut(names, results.ToList());
                }

                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                using var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    TensorCodec.WriteResponse(json, version.ModelName, number.ToString(System.Globalization.CultureInfo.InvariantCulture), null, outputs);
                }

                return OperationResult<Outcome>.Ok(new Outcome(Encoding.UTF8.GetString(buffer.ToArray()), elapsed));
            }
            catch (JsonException ex)
            {
                return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, $"The inputs are not valid JSON: {ex.Message}");
            }
            catch (InferenceRequestException ex)
            {
                return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, ex.Message);
            }
            catch (OnnxRuntimeException ex)
            {
                return OperationResult<Outcome>.Fail(OperationOutcome.Invalid, $"The model could not run on these inputs: {ex.Message}");
            }
        }, ct);
    }

    private InferenceSession Session(string sha)
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
                return node.Value.Session;
            }

            var session = new InferenceSession(store.PathOf(sha));
            sessions.AddFirst((sha, session));
            if (sessions.Count > Cached)
            {
                // Runs in progress hold no lock; the evicted session is released by the finalizer-free path below.
                var last = sessions.Last!.Value;
                sessions.RemoveLast();
                _ = Task.Delay(TimeSpan.FromMinutes(1)).ContinueWith(_ => last.Session.Dispose(), TaskScheduler.Default);
            }

            return session;
        }
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

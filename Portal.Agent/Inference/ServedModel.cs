using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Portal.Shared.Models;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference;

/// <summary>
/// One model loaded for serving: a cached session, its signature, and its metrics. Runs write into output buffers
/// allocated up front whenever every output dimension is known from the model or the inputs; otherwise ONNX Runtime
/// allocates them. Thread-safe: concurrent requests share the session.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] outputNames = [];
    private volatile bool preallocate = true;

    public ServedModel(ModelWorkloadSpec spec, string path, int intraOpThreads)
    {
        (session, Provider, Note) = SessionFactory.Open(path, spec.ExecutionProvider, intraOpThreads);
        try
        {
            Spec = spec;
            Signature = ModelInspector.Inspect(session, path);
            outputNames = Signature.Outputs.Select(o => o.Name).ToArray();
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public ModelWorkloadSpec Spec { get; }

    public ModelSignature Signature { get; }

    public string Provider { get; }

    public string? Note { get; }

    public LatencyRecorder Metrics { get; } = new();

    public InferenceMetrics Snapshot()
    {
        var (p50, p95, p99) = Metrics.Percentiles();
        return new InferenceMetrics(Spec.Name, Spec.Version, Provider, Metrics.Requests, Metrics.Errors, p50, p95, p99);
    }

    /// <summary>Runs the model on checked inputs; the caller disposes the outputs.</summary>
    public TensorSet Run(TensorSet inputs)
    {
        if (preallocate && Preallocate(inputs) is { } outputs)
        {
            try
            {
                session.Run(runOptions, inputs.Names, inputs.Values, outputNames, outputs);
                return new TensorSet(outputNames, outputs);
            }
            catch (OnnxRuntimeException)
            {
                // The output shape guessed from symbolic dimensions was wrong for this model: let ONNX Runtime allocate from now on.
                outputs.ForEach(o => o.Dispose());
                preallocate = false;
            }
        }

        // The collection is disposed, the values it hands over are not: the caller owns them through the TensorSet.
        using var results = session.Run(runOptions, inputs.Names, inputs.Values, outputNames);
        return new TensorSet(outputNames, results.ToList());
    }

    /// <summary>Output buffers when every output dimension is fixed or named like an input dimension; null otherwise.</summary>
    private List<OrtValue>? Preallocate(TensorSet inputs)
    {
        var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < Signature.Inputs.Count; i++)
        {
            var shape = inputs.Values[i].GetTensorTypeAndShape().Shape;
            var input = Signature.Inputs[i];
            for (var d = 0; d < shape.Length && d < input.DimNames.Count; d++)
            {
                if (input.DimNames[d].Length > 0)
                {
                    symbols[input.DimNames[d]] = shape[d];
                }
            }
        }

        var outputs = new List<OrtValue>(Signature.Outputs.Count);
        foreach (var output in Signature.Outputs)
        {
            var shape = new long[output.Shape.Count];
            for (var d = 0; d < shape.Length; d++)
            {
                if (output.Shape[d] >= 0)
                {
                    shape[d] = output.Shape[d];
                }
                else if (output.DimNames[d].Length > 0 && symbols.TryGetValue(output.DimNames[d], out var size))
                {
                    shape[d] = size;
                }
                else
                {
                    outputs.ForEach(o => o.Dispose());
                    return null;
                }
            }

            var count = shape.Aggregate(1L, (a, d) => a * d);
            OrtValue? value = OnnxDatatypes.TypeOf(output.Datatype) switch
            {
                TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(new float[count], shape),
                TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(new double[count], shape),
                TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(new long[count], shape),
                TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(new int[count], shape),
                TensorElementType.UInt8 => OrtValue.CreateTensorValueFromMemory(new byte[count], shape),
                TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(new bool[count], shape),
                _ => null,
            };
            if (value is null)
            {
                outputs.ForEach(o => o.Dispose());
                return null;
            }

            outputs.Add(value);
        }

        return outputs;
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Portal.Shared.Models;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference;

/// <summary>
/// One model loaded for serving: a cached session, its signature, and its metrics. Runs write into managed output
/// buffers allocated up front whenever every output dimension is known from the model or the inputs; otherwise ONNX
/// Runtime allocates them and the results are copied out before they are freed. Either way a run returns managed data
/// only. Thread-safe: concurrent requests share the session, each holding a lease so an unload waits for them.
/// </summary>
public sealed class ServedModel : IDisposable
{
    /// <summary>Output types whose buffers are allocated up front; others always take the copying path.</summary>
    private static readonly HashSet<TensorElementType> Preallocated =
        [TensorElementType.Float, TensorElementType.Double, TensorElementType.Int64, TensorElementType.Int32, TensorElementType.UInt8, TensorElementType.Bool];

    private readonly SharedSession shared;
    private readonly string[] outputNames = [];
    private volatile bool preallocate = true;

    public ServedModel(ModelWorkloadSpec spec, string path, int intraOpThreads)
    {
        (var session, Provider, Note) = SessionFactory.Open(path, spec.ExecutionProvider, intraOpThreads);
        shared = new SharedSession(session);
        try
        {
            Spec = spec;
            Signature = ModelInspector.Inspect(session, path);
            outputNames = Signature.Outputs.Select(o => o.Name).ToArray();
        }
        catch
        {
            shared.Dispose();
            throw;
        }
    }

    public ModelWorkloadSpec Spec { get; }

    public ModelSignature Signature { get; }

    public string Provider { get; }

    public string? Note { get; }

    public LatencyRecorder Metrics { get; } = new();

    /// <summary>What the model is sent and answers, per feature, for drift monitoring on the portal.</summary>
    public Monitoring.ModelMonitor Monitor { get; } = new();

    public InferenceMetrics Snapshot()
    {
        var (p50, p95, p99) = Metrics.Percentiles();
        return new InferenceMetrics(Spec.Name, Spec.Version, Provider, Metrics.Requests, Metrics.Errors, p50, p95, p99) { Features = Monitor.Report() };
    }

    /// <summary>Keeps the session open until the lease is disposed; null when the model has been unloaded.</summary>
    public IDisposable? Acquire() => shared.Acquire();

    /// <summary>Runs the model on checked inputs; <paramref name="requested"/> names the outputs wanted (null: all).</summary>
    public IReadOnlyList<OutputTensor> Run(TensorSet inputs, IReadOnlyList<string>? requested = null)
    {
        var session = shared.Session;
        var names = requested ?? outputNames;
        if (!preallocate || Preallocate(inputs, names) is not { } buffers)
        {
            return RunAllocated(session, inputs, names);
        }

        var values = new List<OrtValue>(buffers.Count);
        try
        {
            values.AddRange(buffers.Select(b => OrtTensors.Create(b.Data, b.Shape)));
            using var runOptions = new RunOptions();
            session.Run(runOptions, inputs.Names, inputs.Values, names, values);
            return buffers.Select((b, i) => new OutputTensor(names[i], b.Datatype, b.Shape, b.Data)).ToList();
        }
        catch (OnnxRuntimeException)
        {
            // Either a shape guessed from symbolic dimensions was wrong for this model or the inputs are bad: a run
            // with ONNX Runtime allocating tells which (it throws again for bad inputs, and preallocating stays on).
            var outputs = RunAllocated(session, inputs, names);
            preallocate = false;
            return outputs;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    /// <summary>ONNX Runtime allocates the outputs; they are its memory, so they are copied out while alive, then freed.</summary>
    public static List<OutputTensor> RunAllocated(InferenceSession session, TensorSet inputs, IReadOnlyList<string> names)
    {
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, inputs.Names, inputs.Values, names);
        return OrtTensors.CopyOut(names, results.ToList());
    }

    /// <summary>Managed output buffers when every wanted output's shape is known and its type allocatable; null otherwise.</summary>
    private List<(Array Data, long[] Shape, string Datatype)>? Preallocate(TensorSet inputs, IReadOnlyList<string> names)
    {
        var symbols = OutputShapes.Symbols(Signature.Inputs, inputs.Values.Select(v => v.GetTensorTypeAndShape().Shape).ToList());
        var buffers = new List<(Array, long[], string)>(names.Count);
        foreach (var name in names)
        {
            var output = Signature.Outputs.First(o => o.Name == name);
            if (OnnxDatatypes.TypeOf(output.Datatype) is not { } type || !Preallocated.Contains(type)
                || OutputShapes.Resolve(output, symbols) is not { } shape
                || !TensorShapes.TryCount(shape, out var count) || count > TensorCodec.MaxElements
                || OrtTensors.Allocate(type, count) is not { } data)
            {
                return null;
            }

            buffers.Add((data, shape, output.Datatype));
        }

        return buffers;
    }

    /// <summary>Unloads the model: at once when no request runs on it, otherwise when the last one ends.</summary>
    public void Dispose() => shared.Dispose();
}

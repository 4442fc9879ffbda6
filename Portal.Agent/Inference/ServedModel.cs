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

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] outputNames = [];
    private volatile bool preallocate = true;
    private int references = 1;
    private int retired;

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
            runOptions.Dispose();
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

    /// <summary>Keeps the session open until the lease is disposed; null when the model has been unloaded.</summary>
    public IDisposable? Acquire()
    {
        while (true)
        {
            var count = Volatile.Read(ref references);
            if (count == 0 || Volatile.Read(ref retired) == 1)
            {
                return null;
            }

            if (Interlocked.CompareExchange(ref references, count + 1, count) == count)
            {
                return new Lease(this);
            }
        }
    }

    /// <summary>Runs the model on checked inputs; <paramref name="requested"/> names the outputs wanted (null: all).</summary>
    public IReadOnlyList<OutputTensor> Run(TensorSet inputs, IReadOnlyList<string>? requested = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref references) == 0, this);
        var names = requested ?? outputNames;
        if (!preallocate || Preallocate(inputs, names) is not { } buffers)
        {
            return RunAllocated(inputs, names);
        }

        var values = new List<OrtValue>(buffers.Count);
        try
        {
            values.AddRange(buffers.Select(b => OrtTensors.Create(b.Data, b.Shape)));
            session.Run(runOptions, inputs.Names, inputs.Values, names, values);
            return buffers.Select((b, i) => new OutputTensor(names[i], b.Datatype, b.Shape, b.Data)).ToList();
        }
        catch (OnnxRuntimeException)
        {
            // Either a shape guessed from symbolic dimensions was wrong for this model or the inputs are bad: a run
            // with ONNX Runtime allocating tells which (it throws again for bad inputs, and preallocating stays on).
            var outputs = RunAllocated(inputs, names);
            preallocate = false;
            return outputs;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private List<OutputTensor> RunAllocated(TensorSet inputs, IReadOnlyList<string> names)
    {
        // The results are ONNX Runtime's memory: copy them out while they are alive, then free them all.
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
    public void Dispose()
    {
        if (Interlocked.Exchange(ref retired, 1) == 0)
        {
            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            runOptions.Dispose();
            session.Dispose();
        }
    }

    private sealed class Lease(ServedModel model) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                model.Release();
            }
        }
    }
}

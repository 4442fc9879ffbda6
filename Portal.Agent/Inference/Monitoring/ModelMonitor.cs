using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Portal.Shared.Models.Monitoring;

namespace Portal.Agent.Inference.Monitoring;

/// <summary>
/// What one served model is sent and answers, per feature (<see cref="MonitoredFeatures"/>), since it was loaded: the
/// portal compares windows of it with the version's baseline to measure drift. Numeric tensors only; at most
/// <see cref="FeatureStats.MaxFeatures"/> features (the first ones seen). Thread-safe.
/// </summary>
public sealed class ModelMonitor
{
    public const int MaxColumns = 32;
    private const long ResendMs = 60_000;
    private readonly Lock gate = new();
    private readonly Dictionary<string, FeatureSketch> features = new(StringComparer.Ordinal);
    private long observations;
    private long reported = -1;
    private long reportedAt;

    /// <summary>Adds one successful request: its inputs as the session took them, and the outputs it answered.</summary>
    public void Observe(TensorSet inputs, IReadOnlyList<OutputTensor> outputs)
    {
        lock (gate)
        {
            for (var i = 0; i < inputs.Names.Count; i++)
            {
                var value = inputs.Values[i];
                var info = value.GetTensorTypeAndShape();
                if (Numbers(value, info.ElementDataType) is { } numbers)
                {
                    MonitoredFeatures.Extract("in", inputs.Names[i], info.Shape, numbers, MaxColumns, Add);
                }
            }

            foreach (var output in outputs)
            {
                if (Numbers(output.Data) is { } numbers)
                {
                    MonitoredFeatures.Extract("out", output.Name, output.Shape, numbers, MaxColumns, Add);
                }
            }

            observations++;
        }
    }

    /// <summary>The features when something was observed since the last call (or a minute has passed, in case a report was lost); null otherwise.</summary>
    public IReadOnlyList<FeatureStats>? Report()
    {
        var now = Environment.TickCount64;
        lock (gate)
        {
            if (features.Count == 0 || (observations == reported && now - reportedAt < ResendMs))
            {
                return null;
            }

            (reported, reportedAt) = (observations, now);
            return features.Values.Select(f => f.Snapshot()).ToList();
        }
    }

    private void Add(string name, double value)
    {
        if (!features.TryGetValue(name, out var sketch))
        {
            if (features.Count >= FeatureStats.MaxFeatures || name.Length > 200)
            {
                return;
            }

            features[name] = sketch = new FeatureSketch(name);
        }

        sketch.Add(value);
    }

    private static double[]? Numbers(OrtValue value, TensorElementType type) => type switch
    {
        TensorElementType.Float => Widen(value.GetTensorDataAsSpan<float>()),
        TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
        TensorElementType.Int32 => Widen(value.GetTensorDataAsSpan<int>()),
        TensorElementType.Int64 => Widen(value.GetTensorDataAsSpan<long>()),
        TensorElementType.Int16 => Widen(value.GetTensorDataAsSpan<short>()),
        TensorElementType.Int8 => Widen(value.GetTensorDataAsSpan<sbyte>()),
        TensorElementType.UInt8 => Widen(value.GetTensorDataAsSpan<byte>()),
        _ => null,
    };

    private static double[]? Numbers(Array data) => data switch
    {
        float[] f => Widen<float>(f),
        double[] d => d,
        int[] i => Widen<int>(i),
        long[] l => Widen<long>(l),
        short[] s => Widen<short>(s),
        sbyte[] b => Widen<sbyte>(b),
        byte[] b => Widen<byte>(b),
        _ => null,
    };

    private static double[] Widen<T>(ReadOnlySpan<T> values)
        where T : struct, System.Numerics.INumberBase<T>
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }

        return result;
    }
}

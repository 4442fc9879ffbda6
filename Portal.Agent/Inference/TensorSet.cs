using Microsoft.ML.OnnxRuntime;

namespace Portal.Agent.Inference;

/// <summary>Named tensors for one run, in the order the session takes them; disposing frees their native memory.</summary>
public sealed class TensorSet(IReadOnlyList<string> names, IReadOnlyList<OrtValue> values) : IDisposable
{
    public IReadOnlyList<string> Names { get; } = names;

    public IReadOnlyList<OrtValue> Values { get; } = values;

    public void Dispose()
    {
        foreach (var value in Values)
        {
            value.Dispose();
        }
    }
}

using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>
/// Pure: the shapes of a run's outputs known before it runs, so their buffers can be allocated up front. A dimension
/// is known when the model fixes it, or names it like a dimension of an input (e.g. "batch"); anything else is not.
/// </summary>
public static class OutputShapes
{
    /// <summary>What each named input dimension is in this request.</summary>
    public static Dictionary<string, long> Symbols(IReadOnlyList<TensorSignature> inputs, IReadOnlyList<long[]> shapes)
    {
        var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count && i < shapes.Count; i++)
        {
            var names = inputs[i].DimNames;
            for (var d = 0; d < shapes[i].Length && d < names.Count; d++)
            {
                if (names[d].Length > 0)
                {
                    symbols[names[d]] = shapes[i][d];
                }
            }
        }

        return symbols;
    }

    /// <summary>The output's shape, or null when a dimension is unknown until the model has run.</summary>
    public static long[]? Resolve(TensorSignature output, IReadOnlyDictionary<string, long> symbols)
    {
        var shape = new long[output.Shape.Count];
        for (var d = 0; d < shape.Length; d++)
        {
            if (output.Shape[d] >= 0)
            {
                shape[d] = output.Shape[d];
            }
            else if (d < output.DimNames.Count && output.DimNames[d].Length > 0 && symbols.TryGetValue(output.DimNames[d], out var size))
            {
                shape[d] = size;
            }
            else
            {
                return null;
            }
        }

        return shape;
    }
}

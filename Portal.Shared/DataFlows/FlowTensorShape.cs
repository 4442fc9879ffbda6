namespace Portal.Shared.DataFlows;

/// <summary>
/// The shape a model step gives an input tensor filled with <c>count</c> values: the model's own shape, its fixed
/// dimensions kept, its run-time ones (-1) set to 1 except the last of them, which takes what the count leaves
/// (so <c>batch × 4</c> with 4 values is <c>1 × 4</c>, and <c>batch × steps</c> with a window of 12 is <c>1 × 12</c>).
/// </summary>
public static class FlowTensorShape
{
    /// <summary>The shape, or null with <paramref name="problem"/> saying why the count cannot fill it.</summary>
    public static long[]? Resolve(IReadOnlyList<long> modelShape, int count, out string? problem)
    {
        problem = null;
        var shape = modelShape.ToArray();
        var fixedProduct = shape.Where(d => d >= 0).Aggregate(1L, (a, d) => a * d);
        var free = Array.FindLastIndex(shape, d => d < 0);
        if (free < 0)
        {
            if (fixedProduct == count)
            {
                return shape;
            }

            problem = $"it takes exactly {fixedProduct} values, the flow gives {count}";
            return null;
        }

        if (fixedProduct == 0 || count % fixedProduct != 0 || count == 0)
        {
            problem = $"its fixed dimensions take a multiple of {fixedProduct} values, the flow gives {count}";
            return null;
        }

        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = shape[i] >= 0 ? shape[i] : i == free ? count / fixedProduct : 1;
        }

        return shape;
    }
}

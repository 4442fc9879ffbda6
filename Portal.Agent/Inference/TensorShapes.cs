namespace Portal.Agent.Inference;

/// <summary>Element counts of tensor shapes, in checked arithmetic: a shape such as [2^31, 2^31, 2^31] overflows a long.</summary>
public static class TensorShapes
{
    /// <summary>The product of the dimensions; false when a dimension is negative or the product overflows.</summary>
    public static bool TryCount(IReadOnlyList<long> shape, out long count)
    {
        count = 0;
        if (shape.Any(d => d < 0))
        {
            return false;
        }

        if (shape.Contains(0))
        {
            return true;
        }

        count = 1;
        foreach (var d in shape)
        {
            try
            {
                count = checked(count * d);
            }
            catch (OverflowException)
            {
                count = 0;
                return false;
            }
        }

        return true;
    }

    public static string Text(IReadOnlyList<long> shape) => string.Join(", ", shape);
}

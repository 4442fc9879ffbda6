namespace Portal.Shared.Models.Monitoring;

/// <summary>
/// Which features of a tensor are watched: a tensor of shape <c>[batch, F]</c> with F at most <c>maxColumns</c> gives
/// one feature per column (<c>{prefix}:{name}[{j}]</c>, one value per row); any other tensor gives two per request, its
/// mean and standard deviation (<c>{prefix}:{name}:mean</c>, <c>…:std</c>). Shared by the agent (what it measures) and
/// the portal (reference data uploaded with a version is read the same way).
/// </summary>
public static class MonitoredFeatures
{
    public static void Extract(string prefix, string name, IReadOnlyList<long> shape, ReadOnlySpan<double> values, int maxColumns, Action<string, double> sink)
    {
        if (values.IsEmpty)
        {
            return;
        }

        if (shape.Count == 2 && shape[1] is > 0 and var columns && columns <= maxColumns && values.Length % columns == 0)
        {
            var width = (int)columns;
            for (var row = 0; row < values.Length / width; row++)
            {
                for (var j = 0; j < width; j++)
                {
                    sink(ColumnName(prefix, name, j), values[(row * width) + j]);
                }
            }

            return;
        }

        double sum = 0, squares = 0;
        foreach (var v in values)
        {
            sum += v;
            squares += v * v;
        }

        var mean = sum / values.Length;
        sink($"{prefix}:{name}:mean", mean);
        sink($"{prefix}:{name}:std", Math.Sqrt(Math.Max(0, (squares / values.Length) - (mean * mean))));
    }

    public static string ColumnName(string prefix, string name, int column) => $"{prefix}:{name}[{column}]";
}

using Portal.Shared.Models.Monitoring;

namespace Portal.Agent.Inference.Monitoring;

/// <summary>
/// Running statistics of one feature: count, sum, sum of squares, min, max and a histogram over the shared
/// <see cref="SketchBins"/>. Past <see cref="FeatureStats.MaxBuckets"/> buckets a new value counts in the nearest
/// existing bucket, so memory stays bounded whatever is sent. Not thread-safe: its <see cref="ModelMonitor"/> locks.
/// </summary>
public sealed class FeatureSketch(string name)
{
    private readonly SortedDictionary<int, long> buckets = [];
    private long count;
    private double sum;
    private double squares;
    private double min = double.PositiveInfinity;
    private double max = double.NegativeInfinity;

    public string Name { get; } = name;

    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        count++;
        sum += value;
        squares += value * value;
        min = Math.Min(min, value);
        max = Math.Max(max, value);
        var key = SketchBins.KeyOf(value);
        if (!buckets.ContainsKey(key) && buckets.Count >= FeatureStats.MaxBuckets)
        {
            key = Nearest(key);
        }

        buckets[key] = buckets.GetValueOrDefault(key) + 1;
    }

    public FeatureStats Snapshot() => new(Name, count, sum, squares, count == 0 ? 0 : min, count == 0 ? 0 : max, [.. buckets.Keys], [.. buckets.Values]);

    private int Nearest(int key)
    {
        var best = 0;
        var distance = long.MaxValue;
        foreach (var existing in buckets.Keys)
        {
            var d = Math.Abs((long)existing - key);
            if (d < distance)
            {
                (best, distance) = (existing, d);
            }
        }

        return best;
    }
}

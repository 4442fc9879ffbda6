using Portal.Data;
using Portal.Shared.Models.Monitoring;

namespace Portal.Features.Models.Monitoring;

/// <summary>
/// Drift as the population stability index: each feature's baseline is cut at its deciles (ten bins of about equal
/// share; fewer when values repeat), a window's share of each bin is compared with the baseline's,
/// <c>PSI = Σ (a − e)·ln(a / e)</c> with shares floored at 1e-4. Under 0.1 is stable, over 0.25 a significant shift.
/// Features with fewer than <see cref="MinCount"/> values on either side are not judged (too few to tell). Pure.
/// </summary>
public static class DriftMath
{
    public const int MinCount = 50;
    private const double Floor = 1e-4;

    public static List<DriftBins> Bins(IReadOnlyList<FeatureStats> baseline) =>
        baseline.Where(f => f.Count >= MinCount).Select(Bins).ToList();

    public static DriftBins Bins(FeatureStats feature)
    {
        var edges = new List<int>();
        long seen = 0;
        var next = 1;
        foreach (var (key, count) in Sketches.Pairs(feature))
        {
            seen += count;
            while (next < 10 && seen >= feature.Count * next / 10.0)
            {
                if (edges.Count == 0 || edges[^1] != key)
                {
                    edges.Add(key);
                }

                next++;
            }
        }

        // The last edge at the largest key would leave an empty top bin: drop it.
        if (edges.Count > 0 && edges[^1] == feature.Keys[^1])
        {
            edges.RemoveAt(edges.Count - 1);
        }

        var edgeArray = edges.ToArray();
        return new DriftBins(feature.Name, edgeArray, Shares(feature, edgeArray));
    }

    /// <summary>The window's PSI per feature judged, or null when no feature had enough values.</summary>
    public static Dictionary<string, double>? Psi(IReadOnlyList<DriftBins> bins, IReadOnlyList<FeatureStats> window)
    {
        var byName = window.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var bin in bins)
        {
            if (byName.TryGetValue(bin.Feature, out var feature) && feature.Count >= MinCount)
            {
                var actual = Shares(feature, bin.Edges);
                result[bin.Feature] = Math.Round(actual.Zip(bin.Expected, (a, e) => (Math.Max(a, Floor) - Math.Max(e, Floor)) * Math.Log(Math.Max(a, Floor) / Math.Max(e, Floor))).Sum(), 4);
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static double[] Shares(FeatureStats feature, int[] edges)
    {
        var shares = new double[edges.Length + 1];
        var total = feature.Counts.Sum();
        if (total == 0)
        {
            return shares;
        }

        foreach (var (key, count) in Sketches.Pairs(feature))
        {
            shares[BinOf(key, edges)] += (double)count / total;
        }

        return shares;
    }

    /// <summary>Bin i holds keys in (edges[i-1], edges[i]]: the number of edges below the key.</summary>
    private static int BinOf(int key, int[] edges)
    {
        var bin = Array.BinarySearch(edges, key);
        return bin >= 0 ? bin : ~bin;
    }
}

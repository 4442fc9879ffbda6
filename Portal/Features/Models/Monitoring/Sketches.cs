using Portal.Shared.Models.Monitoring;

namespace Portal.Features.Models.Monitoring;

/// <summary>Adding and subtracting feature sketches (they share <see cref="SketchBins"/>, so bins line up). Pure.</summary>
public static class Sketches
{
    /// <summary>What arrived between two cumulative reports; the whole report when the agent started again (counts went down).</summary>
    public static List<FeatureStats> Delta(IReadOnlyList<FeatureStats> now, IReadOnlyList<FeatureStats> before)
    {
        var previous = before.ToDictionary(f => f.Name, StringComparer.Ordinal);
        if (now.Any(f => previous.TryGetValue(f.Name, out var p) && p.Count > f.Count))
        {
            return [.. now];
        }

        var delta = new List<FeatureStats>();
        foreach (var feature in now)
        {
            if (!previous.TryGetValue(feature.Name, out var p))
            {
                delta.Add(feature);
                continue;
            }

            if (feature.Count == p.Count)
            {
                continue;
            }

            var counts = ToDictionary(feature);
            foreach (var (key, count) in Pairs(p))
            {
                counts[key] = counts.GetValueOrDefault(key) - count;
            }

            delta.Add(From(feature.Name, feature.Count - p.Count, feature.Sum - p.Sum, feature.SumSquares - p.SumSquares, feature.Min, feature.Max, counts));
        }

        return delta;
    }

    public static List<FeatureStats> Merge(IReadOnlyList<FeatureStats> a, IReadOnlyList<FeatureStats> b)
    {
        var merged = a.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var feature in b)
        {
            if (!merged.TryGetValue(feature.Name, out var m))
            {
                merged[feature.Name] = feature;
                continue;
            }

            var counts = ToDictionary(m);
            foreach (var (key, count) in Pairs(feature))
            {
                counts[key] = counts.GetValueOrDefault(key) + count;
            }

            merged[feature.Name] = From(feature.Name, m.Count + feature.Count, m.Sum + feature.Sum, m.SumSquares + feature.SumSquares,
                Math.Min(m.Min, feature.Min), Math.Max(m.Max, feature.Max), counts);
        }

        return [.. merged.Values.Take(FeatureStats.MaxFeatures)];
    }

    /// <summary>How many requests a set of features describes: its most observed feature (a per-request summary counts one per request).</summary>
    public static long Observations(IReadOnlyList<FeatureStats> features) => features.Count == 0 ? 0 : features.Max(f => f.Count);

    public static IEnumerable<(int Key, long Count)> Pairs(FeatureStats feature) =>
        feature.Keys.Zip(feature.Counts, (k, c) => (k, c));

    private static Dictionary<int, long> ToDictionary(FeatureStats feature) => Pairs(feature).ToDictionary(p => p.Key, p => p.Count);

    private static FeatureStats From(string name, long count, double sum, double squares, double min, double max, Dictionary<int, long> counts)
    {
        var kept = counts.Where(c => c.Value > 0).OrderBy(c => c.Key).ToList();
        return new FeatureStats(name, count, sum, squares, min, max, [.. kept.Select(k => k.Key)], [.. kept.Select(k => k.Value)]);
    }
}

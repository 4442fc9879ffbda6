using Portal.Features.Models.Monitoring;
using Portal.Shared.Models.Monitoring;

namespace Portal.Tests.Models;

/// <summary>The drift arithmetic: shared bins, sketch deltas after restarts, decile bins and PSI on known distributions.</summary>
public sealed class DriftMathTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(-3.5)]
    [InlineData(1234.5)]
    [InlineData(0.00042)]
    public void SketchBins_RoundTrip_WithinTwoPercent(double value)
    {
        var back = SketchBins.ValueOf(SketchBins.KeyOf(value));
        Assert.InRange(back / value, 0.98, 1.02);
    }

    [Fact]
    public void SketchBins_NearZero_AndNotANumber_ShareBinZero()
    {
        Assert.Equal(0, SketchBins.KeyOf(0));
        Assert.Equal(0, SketchBins.KeyOf(1e-12));
        Assert.Equal(0, SketchBins.KeyOf(double.NaN));
        Assert.True(SketchBins.KeyOf(2) > SketchBins.KeyOf(1));
        Assert.Equal(-SketchBins.KeyOf(2), SketchBins.KeyOf(-2));
    }

    [Fact]
    public void Features_AreColumnsOfNarrowTables_AndSummariesOfAnythingElse()
    {
        var seen = new List<(string, double)>();
        MonitoredFeatures.Extract("in", "x", [2, 3], new double[] { 1, 2, 3, 4, 5, 6 }, 32, (n, v) => seen.Add((n, v)));
        Assert.Equal([("in:x[0]", 1.0), ("in:x[1]", 2.0), ("in:x[2]", 3.0), ("in:x[0]", 4.0), ("in:x[1]", 5.0), ("in:x[2]", 6.0)], seen);

        seen.Clear();
        MonitoredFeatures.Extract("in", "image", [1, 3, 2, 2], new double[] { 1, 1, 1, 1, 3, 3, 3, 3, 1, 1, 3, 3 }, 32, (n, v) => seen.Add((n, v)));
        Assert.Equal(["in:image:mean", "in:image:std"], seen.Select(s => s.Item1));
        Assert.Equal(2, seen[0].Item2, 6);
        Assert.Equal(1, seen[1].Item2, 6);
    }

    [Fact]
    public void Delta_SubtractsThePreviousReport_OrTakesAllAfterARestart()
    {
        var before = Sketch("f", 1, 1, 2);
        var now = Sketch("f", 1, 1, 2, 5, 5);
        var delta = Assert.Single(Sketches.Delta([now], [before]));
        Assert.Equal(2, delta.Count);
        Assert.Equal([SketchBins.KeyOf(5)], delta.Keys);

        var restarted = Sketch("f", 7);
        Assert.Equal(1, Assert.Single(Sketches.Delta([restarted], [now])).Count);
        Assert.Empty(Sketches.Delta([now], [now]));
    }

    [Fact]
    public void Psi_IsSmallForTheSameDistribution_AndLargeForAShiftedOne()
    {
        var random = new Random(7);
        var baseline = Sketch("x", [.. Enumerable.Range(0, 5000).Select(_ => Normal(random, 10, 1))]);
        var same = Sketch("x", [.. Enumerable.Range(0, 5000).Select(_ => Normal(random, 10, 1))]);
        var shifted = Sketch("x", [.. Enumerable.Range(0, 5000).Select(_ => Normal(random, 11, 1))]);
        var bins = DriftMath.Bins([baseline]);
        // Ten bins at the deciles, fewer where two deciles fall in one ±2 % sketch bin (near the mean of N(10, 1)).
        Assert.InRange(Assert.Single(bins).Edges.Length, 6, 9);
        Assert.Equal(1, bins[0].Expected.Sum(), 6);
        Assert.All(bins[0].Expected, e => Assert.InRange(e, 0.03, 0.3));

        Assert.InRange(DriftMath.Psi(bins, [same])!["x"], 0, 0.02);
        Assert.InRange(DriftMath.Psi(bins, [shifted])!["x"], 0.5, 5);
    }

    [Fact]
    public void Psi_SkipsFeaturesWithTooFewValues()
    {
        var bins = DriftMath.Bins([Sketch("x", [.. Enumerable.Range(0, 100).Select(i => (double)i)])]);
        Assert.Null(DriftMath.Psi(bins, [Sketch("x", 1, 2, 3)]));
        Assert.Empty(DriftMath.Bins([Sketch("few", 1, 2)]));
    }

    private static double Normal(Random random, double mean, double sd) =>
        mean + (sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static FeatureStats Sketch(string name, params double[] values)
    {
        var counts = values.GroupBy(SketchBins.KeyOf).OrderBy(g => g.Key).ToList();
        return new FeatureStats(name, values.Length, values.Sum(), values.Sum(v => v * v), values.Min(), values.Max(),
            [.. counts.Select(g => g.Key)], [.. counts.Select(g => (long)g.Count())]);
    }
}

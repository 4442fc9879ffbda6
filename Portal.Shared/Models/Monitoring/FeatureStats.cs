namespace Portal.Shared.Models.Monitoring;

/// <summary>
/// What a served model was sent (or answered) on one feature since the agent loaded it: count, sum, sum of squares,
/// minimum, maximum, and a histogram over <see cref="SketchBins"/> (<see cref="Keys"/> ascending, <see cref="Counts"/>
/// alongside). Names: <c>in:window:mean</c>, <c>out:features[2]</c> (see <see cref="MonitoredFeatures"/>).
/// </summary>
public sealed record FeatureStats(string Name, long Count, double Sum, double SumSquares, double Min, double Max, int[] Keys, long[] Counts)
{
    public const int MaxFeatures = 64;
    public const int MaxBuckets = 256;

    public double Mean => Count == 0 ? 0 : Sum / Count;

    public double StandardDeviation => Count < 2 ? 0 : Math.Sqrt(Math.Max(0, (SumSquares - Sum * Sum / Count) / (Count - 1)));
}

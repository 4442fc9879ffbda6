namespace Portal.Load;

/// <summary>Round-trip times of the calls made while recording is on, in milliseconds.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> samples = new(1 << 16);
    private long failures;

    public bool Recording { get; set; }

    public long Failures => Interlocked.Read(ref failures);

    public void Add(double milliseconds)
    {
        if (!Recording)
        {
            return;
        }

        lock (samples)
        {
            samples.Add(milliseconds);
        }
    }

    public void Fail()
    {
        if (Recording)
        {
            Interlocked.Increment(ref failures);
        }
    }

    public void Reset()
    {
        lock (samples)
        {
            samples.Clear();
        }

        Interlocked.Exchange(ref failures, 0);
    }

    public (int Count, double P50, double P99, double Max) Summary()
    {
        double[] sorted;
        lock (samples)
        {
            sorted = [.. samples];
        }

        Array.Sort(sorted);
        return sorted.Length == 0 ? (0, 0, 0, 0)
            : (sorted.Length, At(sorted, 0.50), At(sorted, 0.99), sorted[^1]);
    }

    private static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

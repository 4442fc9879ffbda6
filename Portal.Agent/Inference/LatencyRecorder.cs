namespace Portal.Agent.Inference;

/// <summary>Request and error counts, and the latencies of the most recent requests for percentiles. Thread-safe.</summary>
public sealed class LatencyRecorder(int window = 2048)
{
    private readonly double[] recent = new double[window];
    private readonly Lock gate = new();
    private long requests;
    private long errors;
    private int next;
    private int filled;

    public long Requests => Interlocked.Read(ref requests);

    public long Errors => Interlocked.Read(ref errors);

    public void Record(double milliseconds, bool failed)
    {
        Interlocked.Increment(ref requests);
        if (failed)
        {
            Interlocked.Increment(ref errors);
        }

        lock (gate)
        {
            recent[next] = milliseconds;
            next = (next + 1) % recent.Length;
            filled = Math.Min(filled + 1, recent.Length);
        }
    }

    /// <summary>p50, p95 and p99 of the recent requests, or nulls before the first.</summary>
    public (double? P50, double? P95, double? P99) Percentiles()
    {
        double[] copy;
        lock (gate)
        {
            copy = recent[..filled];
        }

        if (copy.Length == 0)
        {
            return (null, null, null);
        }

        Array.Sort(copy);
        return (Percentile(copy, 0.50), Percentile(copy, 0.95), Percentile(copy, 0.99));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

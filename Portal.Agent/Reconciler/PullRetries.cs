namespace Portal.Agent.Reconciler;

/// <summary>
/// Remembers failed image pulls between reconciles, so a pull that failed is tried again on a schedule (30 s, doubling,
/// at most every 10 min) instead of on every reconcile, and the workload stays <c>Failed</c> with the reason and the time
/// of the next try rather than flipping back to <c>Pulling</c>. A different image (a new desired state) starts afresh.
/// </summary>
public sealed class PullRetries(TimeProvider clock)
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, Failure> failures = new(StringComparer.Ordinal);

    public static TimeSpan Delay(int failuresSoFar) =>
        TimeSpan.FromSeconds(Math.Min(Longest.TotalSeconds, First.TotalSeconds * Math.Pow(2, Math.Max(0, failuresSoFar - 1))));

    /// <summary>Whether a pull of <paramref name="image"/> failed and has not succeeded since.</summary>
    public bool HasFailed(string image)
    {
        lock (failures)
        {
            return failures.ContainsKey(image);
        }
    }

    /// <summary>The reason to report while the next try is not due yet; null when a pull may run now.</summary>
    public string? Waiting(string image)
    {
        lock (failures)
        {
            var now = clock.GetUtcNow();
            return failures.TryGetValue(image, out var failure) && failure.NextTry > now ? Reason(failure, now) : null;
        }
    }

    /// <summary>Records a failed pull and returns the reason to report, with when the next try is.</summary>
    public string Failed(string image, string described)
    {
        lock (failures)
        {
            var now = clock.GetUtcNow();
            var count = failures.TryGetValue(image, out var previous) ? previous.Count + 1 : 1;
            var failure = new Failure(described, count, now + Delay(count));
            failures[image] = failure;
            return Reason(failure, now);
        }
    }

    /// <summary>Forgets images no workload wants any more.</summary>
    public void KeepOnly(IReadOnlyCollection<string> images)
    {
        lock (failures)
        {
            foreach (var image in failures.Keys.Where(i => !images.Contains(i)).ToList())
            {
                failures.Remove(image);
            }
        }
    }

    public void Succeeded(string image)
    {
        lock (failures)
        {
            failures.Remove(image);
        }
    }

    /// <summary>"Next try in 2 min" goes before the raw engine text, which can be long.</summary>
    private static string Reason(Failure failure, DateTimeOffset now)
    {
        var next = $"Next try in {Humanize(failure.NextTry - now)} (attempt {failure.Count + 1}).";
        const string Raw = " Docker said: ";
        var split = failure.Described.IndexOf(Raw, StringComparison.Ordinal);
        return split < 0 ? $"{failure.Described} {next}" : $"{failure.Described[..split]} {next}{failure.Described[split..]}";
    }

    private static string Humanize(TimeSpan wait) => wait < TimeSpan.FromSeconds(90)
        ? $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s"
        : $"{(int)Math.Ceiling(wait.TotalMinutes)} min";

    private sealed record Failure(string Described, int Count, DateTimeOffset NextTry);
}

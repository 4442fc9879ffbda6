namespace Portal.Agent.Reconciler;

/// <summary>How <see cref="PlanRunner{TContext}"/> retries a failed command: a few times, at once and then doubling, capped.</summary>
public static class PlanRetry
{
    public const int MaxAttempts = 3;

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(4000, 250 * Math.Pow(2, attempt)));
}

namespace Portal.Hubs;

/// <summary>A token bucket on an injected clock: <c>capacity</c> tokens at most, refilled at <c>perSecond</c>, full at first.</summary>
internal sealed class TokenBucket
{
    private readonly double capacity;
    private readonly double perSecond;
    private readonly Lock gate = new();
    private double tokens;
    private DateTimeOffset refilledAt;

    public TokenBucket(double capacity, double perSecond, DateTimeOffset now)
    {
        (this.capacity, this.perSecond, tokens, refilledAt) = (capacity, perSecond, capacity, now);
    }

    /// <summary>Takes up to <paramref name="wanted"/> whole tokens and returns how many it got (0 when empty).</summary>
    public int Take(int wanted, DateTimeOffset now)
    {
        lock (gate)
        {
            var elapsed = Math.Max(0, (now - refilledAt).TotalSeconds);
            tokens = Math.Min(capacity, tokens + (elapsed * perSecond));
            refilledAt = now;
            var granted = (int)Math.Min(wanted, Math.Floor(tokens));
            tokens -= granted;
            return granted;
        }
    }
}

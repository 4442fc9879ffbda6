using Portal.Hubs;

namespace Portal.Tests.Hubs;

public sealed class TokenBucketTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Take_MoreThanTheCapacity_GrantsTheCapacityThenTheRefill()
    {
        var bucket = new TokenBucket(100, 10, Start);

        Assert.Equal(100, bucket.Take(500, Start));
        Assert.Equal(0, bucket.Take(1, Start));
        Assert.Equal(25, bucket.Take(500, Start.AddSeconds(2.5)));
    }

    [Fact]
    public void Take_AfterALongPause_NeverExceedsTheCapacity()
    {
        var bucket = new TokenBucket(5, 1, Start);
        bucket.Take(5, Start);

        Assert.Equal(5, bucket.Take(50, Start.AddHours(1)));
    }
}

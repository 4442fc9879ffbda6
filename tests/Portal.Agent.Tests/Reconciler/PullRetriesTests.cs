using Portal.Agent.Reconciler;

namespace Portal.Agent.Tests.Reconciler;

public sealed class PullRetriesTests
{
    private const string Image = "ghcr.io/x/y:1";
    private const string Described = "The registry ghcr.io could not be reached from the device: check its network or use a private registry. Docker said: no such host";

    private readonly ManualClock clock = new();

    [Fact]
    public void Failed_FirstTime_SaysWhenTheNextTryIsBeforeTheRawError()
    {
        var retries = new PullRetries(clock);

        var reason = retries.Failed(Image, Described);

        Assert.Equal("The registry ghcr.io could not be reached from the device: check its network or use a private registry. " +
            "Next try in 30 s (attempt 2). Docker said: no such host", reason);
        Assert.True(retries.HasFailed(Image));
    }

    [Fact]
    public void Waiting_BeforeTheNextTry_CountsDownAndThenLetsThePullRun()
    {
        var retries = new PullRetries(clock);
        retries.Failed(Image, Described);
        retries.Failed(Image, Described);
        retries.Failed(Image, Described);

        Assert.Contains("Next try in 2 min (attempt 4).", retries.Waiting(Image), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(70));
        Assert.Contains("Next try in 50 s (attempt 4).", retries.Waiting(Image), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(retries.Waiting(Image));
        Assert.Null(retries.Waiting("other/image:1"));
    }

    [Fact]
    public void Succeeded_AfterFailures_ForgetsThem()
    {
        var retries = new PullRetries(clock);
        retries.Failed(Image, Described);

        retries.Succeeded(Image);

        Assert.False(retries.HasFailed(Image));
        Assert.Null(retries.Waiting(Image));
    }

    [Fact]
    public void KeepOnly_ImageNoLongerWanted_IsForgotten()
    {
        var retries = new PullRetries(clock);
        retries.Failed(Image, Described);
        retries.Failed("kept/image:1", Described);

        retries.KeepOnly(["kept/image:1"]);

        Assert.Equal((false, true), (retries.HasFailed(Image), retries.HasFailed("kept/image:1")));
    }

    [Fact]
    public void Delay_DoublesFromThirtySecondsAndIsCappedAtTenMinutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), PullRetries.Delay(1));
        Assert.Equal(TimeSpan.FromMinutes(1), PullRetries.Delay(2));
        Assert.Equal(TimeSpan.FromMinutes(2), PullRetries.Delay(3));
        Assert.Equal(TimeSpan.FromMinutes(10), PullRetries.Delay(12));
    }

    internal sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}

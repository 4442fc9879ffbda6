using System.Net;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Security;

namespace Portal.Tests.Security;

public sealed class SignInLockoutTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Owner = IPAddress.Parse("198.51.100.20");
    private readonly ManualClock clock = new();
    private readonly SignInLockout lockout;

    public SignInLockoutTests()
    {
        lockout = new SignInLockout(Options.Create(new PortalOptions { Security = { LockoutMaxFailedAttempts = 3, LockoutMinutes = 15 } }), clock);
    }

    [Fact]
    public void RecordFailure_ThresholdFromOneAddress_LocksThatAddressOnly()
    {
        var locked = Enumerable.Range(0, 3).Select(_ => lockout.RecordFailure("admin", Attacker)).ToList();

        Assert.Equal([false, false, true], locked);
        Assert.True(lockout.IsLocked("admin", Attacker));
        Assert.False(lockout.IsLocked("admin", Owner));
        Assert.False(lockout.IsLocked("someone-else", Attacker));
    }

    [Fact]
    public void IsLocked_AfterTheLockPeriod_IsFalseAndCountingStartsAgain()
    {
        for (var i = 0; i < 3; i++)
        {
            lockout.RecordFailure("admin", Attacker);
        }

        clock.Now += TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1);

        Assert.False(lockout.IsLocked("admin", Attacker));
        Assert.False(lockout.RecordFailure("admin", Attacker));
    }

    [Fact]
    public void Reset_AfterARightPassword_ClearsTheCount()
    {
        lockout.RecordFailure("admin", Owner);
        lockout.RecordFailure("admin", Owner);

        lockout.Reset("admin", Owner);

        Assert.False(lockout.RecordFailure("admin", Owner));
        Assert.False(lockout.RecordFailure("admin", Owner));
    }

    [Fact]
    public void Clear_AnAdminsUnlock_LiftsEveryAddressOfThatAccount()
    {
        for (var i = 0; i < 3; i++)
        {
            lockout.RecordFailure("admin", Attacker);
            lockout.RecordFailure("other", Attacker);
        }

        lockout.Clear("admin");

        Assert.False(lockout.IsLocked("admin", Attacker));
        Assert.True(lockout.IsLocked("other", Attacker));
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2:ffff::9", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7", true)]
    public void Source_IPv6CountsPerSlash64AndMappedIPv4AsIPv4(string a, string b, bool same)
    {
        Assert.Equal(same, SignInLockout.Source(IPAddress.Parse(a)) == SignInLockout.Source(IPAddress.Parse(b)));
    }
}

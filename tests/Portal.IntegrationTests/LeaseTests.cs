using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Cluster;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Leases on the real database (SQLite, and PostgreSQL when ./test.sh runs the suite there): two instances racing
/// for one lease get it once; the holder keeps it while renewing; once it stops, the other takes it over.
/// </summary>
public sealed class LeaseTests : IAsyncDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();

    [Fact]
    public async Task TwoInstances_RaceForALease_OneHoldsItUntilItStopsRenewingThenTheOtherTakesItOver()
    {
        portal.Settings["Portal:Cluster:LeaseSeconds"] = "3";
        _ = portal.Services;
        var a = Instance("lease-a");
        var b = Instance("lease-b");

        // Many concurrent tries from both: exactly one instance wins a fresh lease.
        var tries = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).TryHoldAsync("race", ct)));
        var winners = await HoldersAsync("race");
        Assert.Single(winners);
        Assert.DoesNotContain(tries.Where((_, i) => (i % 2 == 0 ? "lease-a" : "lease-b") != winners[0]), won => won);
        var (holder, other) = winners[0] == "lease-a" ? (a, b) : (b, a);

        // The holder renews; the other keeps being refused.
        for (var i = 0; i < 4; i++)
        {
            Assert.True(await holder.TryHoldAsync("race", ct));
            Assert.False(await other.TryHoldAsync("race", ct));
            await Task.Delay(1000, ct);
        }

        // The holder stops (a crash: nothing released). Within a lease's length the other takes over.
        var stoppedAt = DateTime.UtcNow;
        while (!await other.TryHoldAsync("race", ct))
        {
            Assert.True(DateTime.UtcNow - stoppedAt < TimeSpan.FromSeconds(6), "the lease was never taken over");
            await Task.Delay(200, ct);
        }

        Assert.NotEqual(winners[0], Assert.Single(await HoldersAsync("race")));
        Assert.False(await holder.TryHoldAsync("race", ct));

        // A graceful stop gives the lease up at once.
        await other.ReleaseAllAsync(ct);
        Assert.True(await holder.TryHoldAsync("race", ct));
    }

    public ValueTask DisposeAsync() => portal.DisposeAsync();

    private Leases Instance(string id)
    {
        var options = portal.Services.GetRequiredService<IOptionsMonitor<PortalOptions>>();
        var identity = new PortalInstanceIdentity(Options.Create(new PortalOptions { Cluster = new ClusterOptions { InstanceId = id } }));
        return new Leases(portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), identity, options, TimeProvider.System, NullLogger<Leases>.Instance);
    }

    private async Task<List<string>> HoldersAsync(string name)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        return await db.Leases.Where(l => l.Name == name).Select(l => l.Holder).ToListAsync(ct);
    }
}

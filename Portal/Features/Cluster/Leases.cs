using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;

namespace Portal.Features.Cluster;

/// <summary>
/// Leases in the database for work that must run on one instance at a time. A holder renews its lease each time it
/// asks (at most every third of the lease's length); when it stops asking (it crashed, it hangs), the lease expires
/// and the next instance to ask takes it over. Acquiring is a single conditional UPDATE, atomic on SQLite and
/// PostgreSQL alike, so two instances never both hold a lease.
/// </summary>
public sealed partial class Leases(
    IDbContextFactory<PortalDbContext> dbFactory,
    PortalInstanceIdentity instance,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock,
    ILogger<Leases> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> heldUntil = new(StringComparer.Ordinal);

    private TimeSpan Length => TimeSpan.FromSeconds(options.CurrentValue.Cluster.LeaseSeconds);

    /// <summary>True when this instance holds the lease now (taking or renewing it as needed).</summary>
    public async Task<bool> TryHoldAsync(string name, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (heldUntil.TryGetValue(name, out var until) && until - now > Length * 2 / 3)
        {
            return true;
        }

        var held = await TryTakeAsync(name, now, cancellationToken);
        var had = heldUntil.ContainsKey(name);
        if (held)
        {
            heldUntil[name] = now + Length;
            if (!had)
            {
                LogTaken(logger, name, instance.Id);
            }
        }
        else if (heldUntil.TryRemove(name, out _))
        {
            LogLost(logger, name, instance.Id);
        }

        return held;
    }

    /// <summary>Gives up every lease this instance holds (a graceful stop), so another instance need not wait for them to expire.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        heldUntil.Clear();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Leases.Where(l => l.Holder == instance.Id).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<bool> TryTakeAsync(string name, DateTimeOffset now, CancellationToken ct)
    {
        var expires = now + Length;
        var me = instance.Id;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Renewed when this instance holds it, taken over when it has expired: one statement either way.
        var held = await db.Leases
            .Where(l => l.Name == name && (l.Holder == me || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.AcquiredAt, l => l.Holder == me ? l.AcquiredAt : now)
                .SetProperty(l => l.Holder, me)
                .SetProperty(l => l.ExpiresAt, expires), ct);
        if (held == 1)
        {
            return true;
        }

        if (await db.Leases.AnyAsync(l => l.Name == name, ct))
        {
            return false;
        }

        db.Leases.Add(new Lease { Name = name, Holder = me, AcquiredAt = now, ExpiresAt = expires });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance created it first.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Took the lease {Lease} (instance {Instance})")]
    private static partial void LogTaken(ILogger logger, string lease, string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease {Lease} (instance {Instance}); another instance does that work now")]
    private static partial void LogLost(ILogger logger, string lease, string instance);
}

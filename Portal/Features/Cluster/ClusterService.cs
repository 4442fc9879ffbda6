using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Shared.Cluster;

namespace Portal.Features.Cluster;

/// <summary>The instances sharing the database, the devices each holds, and who holds which lease.</summary>
public sealed class ClusterService(
    IDbContextFactory<PortalDbContext> dbFactory,
    PortalInstanceIdentity instance,
    IOptionsMonitor<PortalOptions> options,
    TimeProvider clock)
{
    public async Task<ClusterStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var aliveSince = InstanceHeartbeat.AliveSince(clock, options.CurrentValue);
        var connected = await db.Devices.Where(d => d.ConnectedInstance != null).GroupBy(d => d.ConnectedInstance!)
            .Select(g => new { Instance = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Instance, g => g.Count, cancellationToken);
        var instances = (await db.Instances.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(i => i.StartedAt)
            .Select(i => new ClusterInstance(i.Id, i.Host, i.StartedAt, i.SeenAt, i.SeenAt >= aliveSince, connected.GetValueOrDefault(i.Id)))
            .ToList();
        var leases = (await db.Leases.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(l => l.Name, StringComparer.Ordinal)
            .Select(l => new ClusterLease(l.Name, l.Holder, l.AcquiredAt, l.ExpiresAt, l.ExpiresAt > now))
            .ToList();
        return new ClusterStatus(instance.Id, instances, leases);
    }

    /// <summary>Worth showing people: more than one instance, or a database meant for several.</summary>
    public bool IsScaledOut(ClusterStatus status) => options.CurrentValue.Database.IsPostgres || status.Instances.Count > 1;
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Shared.Cluster;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Cluster;

internal static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ApiRoutes.Cluster, async (IDbContextFactory<PortalDbContext> dbFactory, PortalInstanceIdentity instance,
            IOptionsMonitor<PortalOptions> options, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var aliveSince = InstanceHeartbeat.AliveSince(clock, options.CurrentValue);
            var connected = await db.Devices.Where(d => d.ConnectedInstance != null).GroupBy(d => d.ConnectedInstance!)
                .Select(g => new { Instance = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Instance, g => g.Count, ct);
            var instances = (await db.Instances.AsNoTracking().ToListAsync(ct)).OrderBy(i => i.StartedAt)
                .Select(i => new ClusterInstance(i.Id, i.Host, i.StartedAt, i.SeenAt, i.SeenAt >= aliveSince, connected.GetValueOrDefault(i.Id)))
                .ToList();
            var leases = (await db.Leases.AsNoTracking().ToListAsync(ct)).OrderBy(l => l.Name, StringComparer.Ordinal)
                .Select(l => new ClusterLease(l.Name, l.Holder, l.AcquiredAt, l.ExpiresAt, l.ExpiresAt > now))
                .ToList();
            return TypedResults.Ok(new ClusterStatus(instance.Id, instances, leases));
        }).WithTags("Cluster").WithSummary("The portal instances sharing this database and who holds each lease")
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Admin));
        return endpoints;
    }
}

using Portal.Security;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Cluster;

internal static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ApiRoutes.Cluster, async (ClusterService cluster, CancellationToken ct) => TypedResults.Ok(await cluster.StatusAsync(ct)))
            .WithTags("Cluster").WithSummary("The portal instances sharing this database and who holds each lease")
            .RequireAuthorization(PortalPolicies.Admin);
        return endpoints;
    }
}

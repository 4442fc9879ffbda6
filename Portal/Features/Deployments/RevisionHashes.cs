using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Features.Deployments;

/// <summary>The current revision and spec hash of updated deployments (revision 2 and later), for judging workload reports.</summary>
internal static class RevisionHashes
{
    public sealed record Expected(int Number, string SpecHash);

    /// <summary>Deployments never updated are left out: any report of theirs is of their one revision.</summary>
    public static async Task<Dictionary<string, Expected>> OfUpdatedAsync(PortalDbContext db, IEnumerable<string> deploymentIds, CancellationToken ct)
    {
        var ids = deploymentIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var updated = await db.Deployments.AsNoTracking().Where(d => ids.Contains(d.Id) && d.Revision > 1).ToListAsync(ct);
        return updated.ToDictionary(d => d.Id, d => new Expected(DeploymentRevisions.Current(d), WorkloadSpecBuilder.Build(d)?.SpecHash ?? ""), StringComparer.Ordinal);
    }
}

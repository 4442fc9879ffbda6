using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Shared.Models;

namespace Portal.Features.Deployments;

/// <summary>The versions a deployment can be updated to, and which versions of an app or model are flagged.</summary>
public sealed class DeploymentVersions(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <param name="Flag">Why the version is flagged (failed a rollout, rolled back); null when it is not.</param>
    public sealed record Choice(string Version, IReadOnlyList<AppParameter> Parameters, string? Flag);

    /// <summary>Versions of an app (by id) or a model (by id), flagged when a deployment of them failed or was rolled back.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FlagsAsync(string appOrModelId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deployments = await db.Deployments.AsNoTracking().Where(d => d.SourceId == appOrModelId).OrderByDescending(d => d.CreatedAt).ToListAsync(cancellationToken);
        return VersionFlags.Of(deployments.Select(d => new VersionFlags.Entry(d.Name, d.Version, d.State, d.Previous is { RolledBack: true } p ? p.Version : null)));
    }

    /// <summary>Oldest first: the app's versions (a retired or uncertified app offers only the one deployed), the model's unarchived ones, or the flow's.</summary>
    public async Task<IReadOnlyList<Choice>> ChoicesAsync(DeploymentDto deployment, CancellationToken cancellationToken = default)
    {
        var flags = await FlagsAsync(deployment.AppId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (deployment.Kind == DeploymentKind.DataFlow)
        {
            var numbers = await db.DataFlowVersions.AsNoTracking().Where(v => v.FlowId == deployment.AppId)
                .OrderBy(v => v.Number).Select(v => v.Number).ToListAsync(cancellationToken);
            return numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)).Select(v => new Choice(v, [], flags.GetValueOrDefault(v))).ToList();
        }

        if (deployment.Model is not null)
        {
            var numbers = await db.ModelVersions.AsNoTracking().Where(v => v.ModelId == deployment.AppId && v.Stage != ModelStage.Archived)
                .OrderBy(v => v.Number).Select(v => v.Number).ToListAsync(cancellationToken);
            var texts = numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)).Union([deployment.Version]).ToList();
            return texts.Select(v => new Choice(v, [], flags.GetValueOrDefault(v))).ToList();
        }

        var app = await db.MarketplaceApps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == deployment.AppId, cancellationToken);
        var versions = app is { Certified: true, Retired: false } ? app.Versions : app?.Versions.Where(v => v.Version == deployment.Version).ToList() ?? [];
        return versions.Select(v => new Choice(v.Version, v.Parameters ?? [], flags.GetValueOrDefault(v.Version))).ToList();
    }
}

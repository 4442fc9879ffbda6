using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Security;
using Portal.Shared.Deployments;

namespace Portal.Features.Marketplace;

/// <summary>
/// Deployments of a certified marketplace app version: <c>appId</c> and <c>version</c>, with parameter values bound to
/// the version's parameters (secret ones stored encrypted).
/// </summary>
public sealed class AppWorkloadSource(SecretParameters secrets) : IWorkloadSource
{
    public DeploymentKind Kind => DeploymentKind.App;

    public bool IsAskedFor(CreateDeploymentRequest request) => request.AppId is not null;

    public async Task<OperationResult<WorkloadChoice>> ChooseAsync(PortalDbContext db, CreateDeploymentRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.AppId) || string.IsNullOrWhiteSpace(request.Version))
        {
            return OperationResult<WorkloadChoice>.Fail(OperationOutcome.Invalid,
                "Say what to deploy: appId and version for an app, or modelId and modelVersion for a model.");
        }

        var app = await db.MarketplaceApps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == request.AppId, ct);
        if (app is null)
        {
            return OperationResult<WorkloadChoice>.Fail(OperationOutcome.NotFound, $"There is no app '{request.AppId}' in the marketplace.");
        }

        if (!app.Certified || app.Retired)
        {
            return OperationResult<WorkloadChoice>.Fail(OperationOutcome.Conflict,
                $"{app.Name} is {(app.Retired ? "retired" : "not certified")}: only certified apps can be deployed.");
        }

        var version = app.Versions.FirstOrDefault(v => v.Version == request.Version);
        if (version is null)
        {
            return OperationResult<WorkloadChoice>.Fail(OperationOutcome.Invalid,
                $"{app.Name} has no version '{request.Version}'. Versions: {string.Join(", ", app.Versions.Select(v => v.Version))}.");
        }

        var (parameters, problem) = ParameterBinder.Bind(version.Parameters, request.Parameters);
        if (problem is not null)
        {
            return OperationResult<WorkloadChoice>.Fail(OperationOutcome.Invalid, problem);
        }

        var what = $"{app.Name} {version.Version}";
        return OperationResult<WorkloadChoice>.Ok(new WorkloadChoice(
            app.Id, app.Name, version.Version, what, what, $"app {what}", App: version, Parameters: secrets.Protect(version.Parameters, parameters)));
    }

    /// <summary>Another version of the same app, and/or other parameter values (left out or sent masked: kept).</summary>
    public async Task<OperationResult<WorkloadUpdate>> UpdateAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest request, CancellationToken ct)
    {
        static OperationResult<WorkloadUpdate> Fail(OperationOutcome outcome, string problem) => OperationResult<WorkloadUpdate>.Fail(outcome, problem);

        if (request.ModelVersion is not null || request.DataFlowVersion is not null)
        {
            return Fail(OperationOutcome.Invalid, $"{d.Name} deploys an app: say version, not modelVersion or dataFlowVersion.");
        }

        var version = string.IsNullOrWhiteSpace(request.Version) ? d.Version : request.Version.Trim();
        var spec = d.Spec!;
        if (version != d.Version)
        {
            var app = await db.MarketplaceApps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == d.SourceId, ct);
            if (app is null || !app.Certified || app.Retired)
            {
                return Fail(OperationOutcome.Conflict, $"{d.SourceName} is {(app is null ? "no longer in the marketplace" : app.Retired ? "retired" : "not certified")}: only certified apps can be deployed.");
            }

            spec = app.Versions.FirstOrDefault(v => v.Version == version)!;
            if (spec is null)
            {
                return Fail(OperationOutcome.Invalid, $"{app.Name} has no version '{version}'. Versions: {string.Join(", ", app.Versions.Select(v => v.Version))}.");
            }
        }

        // The values now, in plain: kept where the request leaves them out, or sends a secret's mask.
        var current = d.Parameters.ToDictionary(kv => kv.Key, kv => secrets.Reveal(kv.Value), StringComparer.Ordinal);
        var given = request.Parameters is null
            ? current.Where(kv => (spec.Parameters ?? []).Any(p => p.Name == kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal)
            : request.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value == ParameterBinder.Mask ? current.GetValueOrDefault(kv.Key, "") : kv.Value, StringComparer.Ordinal);
        var (values, problem) = ParameterBinder.Bind(spec.Parameters, given);
        if (problem is not null)
        {
            return Fail(OperationOutcome.Invalid, problem);
        }

        var sameValues = secrets.SameValues(d.Parameters, values);
        var changes = new List<string>();
        if (version != d.Version)
        {
            changes.Add($"version {d.Version} → {version}");
        }

        var changedNames = values.Keys.Union(current.Keys).Where(k => values.GetValueOrDefault(k) != current.GetValueOrDefault(k)).Order(StringComparer.Ordinal).ToList();
        if (changedNames.Count > 0)
        {
            changes.Add($"parameters {string.Join(", ", changedNames)}");
        }

        var changed = version != d.Version || !sameValues
            || JsonSerializer.Serialize(spec, JsonSerializerOptions.Web) != JsonSerializer.Serialize(d.Spec, JsonSerializerOptions.Web);
        var name = d.Name == $"{d.SourceName} {d.Version}" ? $"{d.SourceName} {version}" : d.Name;
        var stored = sameValues ? d.Parameters : secrets.Protect(spec.Parameters, values);
        return OperationResult<WorkloadUpdate>.Ok(new WorkloadUpdate(
            new DeploymentSnapshot(DeploymentRevisions.Current(d) + 1, name, version, spec, null, stored, d.GroupIds, d.DeviceIds, d.Strategy), changed, changes));
    }
}

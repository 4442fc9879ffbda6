using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Security;
using Portal.Shared.Deployments;
using Portal.Shared.Models;

namespace Portal.Features.Deployments;

/// <summary>What an update makes a deployment deploy: another version of the same app (with its parameters) or of the same model.</summary>
internal static class UpdateWorkloads
{
    public sealed record Result(DeploymentSnapshot Next, bool Changed, IReadOnlyList<string> Changes);

    public static async Task<OperationResult<Result>> AppAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest request, SecretParameters secrets, CancellationToken ct)
    {
        static OperationResult<Result> Fail(OperationOutcome outcome, string problem) => OperationResult<Result>.Fail(outcome, problem);

        if (request.ModelVersion is not null)
        {
            return Fail(OperationOutcome.Invalid, $"{d.Name} deploys an app: say version, not modelVersion.");
        }

        var version = string.IsNullOrWhiteSpace(request.Version) ? d.Version : request.Version.Trim();
        var spec = d.Spec!;
        if (version != d.Version)
        {
            var app = await db.MarketplaceApps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == d.AppId, ct);
            if (app is null || !app.Certified || app.Retired)
            {
                return Fail(OperationOutcome.Conflict, $"{d.AppName} is {(app is null ? "no longer in the marketplace" : app.Retired ? "retired" : "not certified")}: only certified apps can be deployed.");
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
        var name = d.Name == $"{d.AppName} {d.Version}" ? $"{d.AppName} {version}" : d.Name;
        var stored = sameValues ? d.Parameters : secrets.Protect(spec.Parameters, values);
        return OperationResult<Result>.Ok(new Result(
            new DeploymentSnapshot(DeploymentRevisions.Current(d) + 1, name, version, spec, null, stored, d.GroupIds, d.DeviceIds, d.Strategy), changed, changes));
    }

    public static async Task<OperationResult<Result>> ModelAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest request, CancellationToken ct)
    {
        static OperationResult<Result> Fail(OperationOutcome outcome, string problem) => OperationResult<Result>.Fail(outcome, problem);

        var model = d.Model!;
        if (request.Parameters is { Count: > 0 } || !string.IsNullOrWhiteSpace(request.Version))
        {
            return Fail(OperationOutcome.Invalid, $"{d.Name} deploys a model: say modelVersion; a model takes no parameters.");
        }

        var number = request.ModelVersion ?? model.Version;
        var spec = model;
        if (number != model.Version)
        {
            var version = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ModelId == model.ModelId && v.Number == number, ct);
            if (version is null)
            {
                return Fail(OperationOutcome.NotFound, $"There is no version {number} of model {model.ModelName}.");
            }

            if (version.Stage == ModelStage.Archived)
            {
                return Fail(OperationOutcome.Conflict, $"{model.ModelName} v{number} is archived: move it back to Staging or Production to deploy it.");
            }

            var (sha, size, original) = ShippedModelFile.Choose(version, model.Original);
            spec = model with { Version = number, Sha256 = sha, SizeBytes = size, Original = original };
        }

        var text = number.ToString(CultureInfo.InvariantCulture);
        var name = d.Name == $"{model.ModelName} v{model.Version}" ? $"{model.ModelName} v{number}" : d.Name;
        List<string> changes = number == model.Version ? [] : [$"version v{model.Version} → v{number}"];
        return OperationResult<Result>.Ok(new Result(
            new DeploymentSnapshot(DeploymentRevisions.Current(d) + 1, name, text, null, spec, d.Parameters, d.GroupIds, d.DeviceIds, d.Strategy), spec != model, changes));
    }
}

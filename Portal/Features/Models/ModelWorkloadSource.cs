using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// Deployments of a registered model version: <c>modelId</c> (or its name) and <c>modelVersion</c>; devices receive the
/// optimized file unless the request says <c>useOriginal</c>, and load it on the execution provider asked for.
/// </summary>
public sealed class ModelWorkloadSource : IWorkloadSource
{
    public DeploymentKind Kind => DeploymentKind.Model;

    public bool IsAskedFor(CreateDeploymentRequest request) => request.ModelId is not null;

    public async Task<OperationResult<WorkloadChoice>> ChooseAsync(PortalDbContext db, CreateDeploymentRequest request, CancellationToken ct)
    {
        static OperationResult<WorkloadChoice> Fail(OperationOutcome outcome, string problem) => OperationResult<WorkloadChoice>.Fail(outcome, problem);

        var provider = string.IsNullOrWhiteSpace(request.ExecutionProvider) ? ExecutionProviders.Cpu : request.ExecutionProvider.Trim().ToLowerInvariant();
        if (!ExecutionProviders.IsKnown(provider))
        {
            return Fail(OperationOutcome.Invalid, "executionProvider must be 'cpu' or 'cuda' (CUDA is used where the device has it, CPU elsewhere).");
        }

        if (request.ModelVersion is not { } number)
        {
            return Fail(OperationOutcome.Invalid, "Say which version of the model to deploy: modelVersion.");
        }

        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == request.ModelId || m.Name == request.ModelId, ct);
        var version = model is null ? null : await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ModelId == model.Id && v.Number == number, ct);
        if (model is null || version is null)
        {
            return Fail(OperationOutcome.NotFound, $"There is no version {number} of model '{request.ModelId}'.");
        }

        if (version.Stage == ModelStage.Archived)
        {
            return Fail(OperationOutcome.Conflict, $"{model.Name} v{number} is archived: move it back to Staging or Production to deploy it.");
        }

        var (sha, size, original) = ShippedModelFile.Choose(version, request.UseOriginal);
        var spec = new ModelDeploymentSpec(model.Id, model.Name, number, sha, size, original, provider);
        var what = $"model {model.Name} v{number} ({(original ? "original" : "optimized")} file, {provider})";
        return OperationResult<WorkloadChoice>.Ok(new WorkloadChoice(
            model.Id, model.Name, number.ToString(CultureInfo.InvariantCulture), $"{model.Name} v{number}", what, what, Model: spec));
    }

    /// <summary>Another version of the same model, keeping the file choice (optimized or original) and the provider.</summary>
    public async Task<OperationResult<WorkloadUpdate>> UpdateAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest request, CancellationToken ct)
    {
        static OperationResult<WorkloadUpdate> Fail(OperationOutcome outcome, string problem) => OperationResult<WorkloadUpdate>.Fail(outcome, problem);

        var model = d.Model!;
        if (request.Parameters is { Count: > 0 } || !string.IsNullOrWhiteSpace(request.Version) || request.DataFlowVersion is not null)
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
        return OperationResult<WorkloadUpdate>.Ok(new WorkloadUpdate(
            new DeploymentSnapshot(DeploymentRevisions.Current(d) + 1, name, text, null, spec, d.Parameters, d.GroupIds, d.DeviceIds, d.Strategy), spec != model, changes));
    }
}

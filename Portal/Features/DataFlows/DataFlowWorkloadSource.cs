using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;

namespace Portal.Features.DataFlows;

/// <summary>
/// Deployments of a data flow version: <c>dataFlowId</c> (or its name) and <c>dataFlowVersion</c>. The version's spec is
/// copied into the deployment, checked again against today's model registry (a model deleted since the version was
/// written makes it undeployable), and runs on each device by the agent's data flow driver.
/// </summary>
public sealed class DataFlowWorkloadSource : IWorkloadSource
{
    public DeploymentKind Kind => DeploymentKind.DataFlow;

    public bool IsAskedFor(CreateDeploymentRequest request) => request.DataFlowId is not null;

    public async Task<OperationResult<WorkloadChoice>> ChooseAsync(PortalDbContext db, CreateDeploymentRequest request, CancellationToken ct)
    {
        if (request.Parameters is { Count: > 0 } || request.ModelId is not null || request.AppId is not null)
        {
            return OperationResult<WorkloadChoice>.Fail(OperationOutcome.Invalid,
                "A data flow deployment names dataFlowId and dataFlowVersion only: a flow takes its settings from its spec and from fleet config, not parameters.");
        }

        var found = await VersionAsync(db, request.DataFlowId!, request.DataFlowVersion, ct);
        if (!found.Succeeded)
        {
            return OperationResult<WorkloadChoice>.Fail(found.Outcome, found.Error!);
        }

        var spec = found.Value!;
        var what = $"data flow {spec.FlowName} v{spec.Version} ({DataFlowService.Summary(spec.Spec)})";
        return OperationResult<WorkloadChoice>.Ok(new WorkloadChoice(
            spec.FlowId, spec.FlowName, spec.Version.ToString(CultureInfo.InvariantCulture), $"{spec.FlowName} v{spec.Version}", what, what, Flow: spec));
    }

    public async Task<OperationResult<WorkloadUpdate>> UpdateAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest request, CancellationToken ct)
    {
        static OperationResult<WorkloadUpdate> Fail(OperationOutcome outcome, string problem) => OperationResult<WorkloadUpdate>.Fail(outcome, problem);

        var flow = d.Flow!;
        if (request.Parameters is { Count: > 0 } || !string.IsNullOrWhiteSpace(request.Version) || request.ModelVersion is not null)
        {
            return Fail(OperationOutcome.Invalid, $"{d.Name} deploys a data flow: say dataFlowVersion; a flow takes no parameters.");
        }

        var number = request.DataFlowVersion ?? flow.Version;
        var spec = flow;
        if (number != flow.Version)
        {
            var found = await VersionAsync(db, flow.FlowId, number, ct);
            if (!found.Succeeded)
            {
                return Fail(found.Outcome, found.Error!);
            }

            spec = found.Value!;
        }

        var name = d.Name == $"{flow.FlowName} v{flow.Version}" ? $"{flow.FlowName} v{number}" : d.Name;
        List<string> changes = number == flow.Version ? [] : [$"version v{flow.Version} → v{number}"];
        return OperationResult<WorkloadUpdate>.Ok(new WorkloadUpdate(
            new DeploymentSnapshot(DeploymentRevisions.Current(d) + 1, name, number.ToString(CultureInfo.InvariantCulture), null, null, d.Parameters,
                d.GroupIds, d.DeviceIds, d.Strategy, Flow: spec),
            number != flow.Version, changes));
    }

    private static async Task<OperationResult<DataFlowDeploymentSpec>> VersionAsync(PortalDbContext db, string idOrName, int? number, CancellationToken ct)
    {
        if (number is null)
        {
            return OperationResult<DataFlowDeploymentSpec>.Fail(OperationOutcome.Invalid, "Say which version of the data flow to deploy: dataFlowVersion.");
        }

        var flow = await db.DataFlows.AsNoTracking().FirstOrDefaultAsync(f => f.Id == idOrName || f.Name == idOrName, ct);
        var version = flow is null ? null : await db.DataFlowVersions.AsNoTracking().FirstOrDefaultAsync(v => v.FlowId == flow.Id && v.Number == number, ct);
        if (flow is null || version is null)
        {
            return OperationResult<DataFlowDeploymentSpec>.Fail(OperationOutcome.NotFound, $"There is no version {number} of data flow '{idOrName}'.");
        }

        // The registry may have changed since the version was written (its model deleted, or archived).
        var check = await DataFlowChecks.CheckAsync(db, version.Spec, ct);
        if (check.Problems.Count > 0)
        {
            return OperationResult<DataFlowDeploymentSpec>.Fail(OperationOutcome.Conflict,
                $"{flow.Name} v{number} cannot be deployed as it is: {DataFlowService.Describe(check.Problems)}");
        }

        return OperationResult<DataFlowDeploymentSpec>.Ok(new DataFlowDeploymentSpec(flow.Id, flow.Name, version.Number, version.Spec));
    }
}

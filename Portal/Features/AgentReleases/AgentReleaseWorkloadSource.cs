using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;

namespace Portal.Features.AgentReleases;

/// <summary>
/// Agent updates: a deployment of an agent release (<c>agentReleaseVersion</c>) to groups or devices, rolled out like
/// any other kind. The release's files and signatures are copied into the deployment; each device picks its architecture's.
/// </summary>
public sealed class AgentReleaseWorkloadSource : IWorkloadSource
{
    public DeploymentKind Kind => DeploymentKind.AgentRelease;

    public bool IsAskedFor(CreateDeploymentRequest request) => request.AgentReleaseVersion is not null;

    public async Task<OperationResult<WorkloadChoice>> ChooseAsync(PortalDbContext db, CreateDeploymentRequest request, CancellationToken ct)
    {
        if (request.Parameters is { Count: > 0 } || request.ExecutionProvider is not null)
        {
            return OperationResult<WorkloadChoice>.Fail(OperationOutcome.Invalid, "An agent update names agentReleaseVersion only: it takes no parameters.");
        }

        var found = await FindAsync(db, request.AgentReleaseVersion!, ct);
        if (!found.Succeeded)
        {
            return OperationResult<WorkloadChoice>.Fail(found.Outcome, found.Error!);
        }

        var spec = found.Value!;
        var what = $"agent release {spec.Version} ({string.Join(", ", spec.Files.Select(f => f.Architecture))})";
        return OperationResult<WorkloadChoice>.Ok(new WorkloadChoice(spec.ReleaseId, "Portal agent", spec.Version, $"Agent {spec.Version}", what, what, AgentRelease: spec));
    }

    public async Task<OperationResult<WorkloadUpdate>> UpdateAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest request, CancellationToken ct)
    {
        var current = d.AgentRelease!;
        if (request.Parameters is { Count: > 0 } || !string.IsNullOrWhiteSpace(request.Version) || request.ModelVersion is not null || request.DataFlowVersion is not null)
        {
            return OperationResult<WorkloadUpdate>.Fail(OperationOutcome.Invalid, $"{d.Name} updates the agent: say agentReleaseVersion; it takes no parameters.");
        }

        var version = request.AgentReleaseVersion ?? current.Version;
        var spec = current;
        if (version != current.Version)
        {
            var found = await FindAsync(db, version, ct);
            if (!found.Succeeded)
            {
                return OperationResult<WorkloadUpdate>.Fail(found.Outcome, found.Error!);
            }

            spec = found.Value!;
        }

        var name = d.Name == $"Agent {current.Version}" ? $"Agent {version}" : d.Name;
        List<string> changes = version == current.Version ? [] : [$"agent {current.Version} → {version}"];
        return OperationResult<WorkloadUpdate>.Ok(new WorkloadUpdate(
            new DeploymentSnapshot(DeploymentRevisions.Current(d) + 1, name, version, null, null, d.Parameters, d.GroupIds, d.DeviceIds, d.Strategy, AgentRelease: spec),
            version != current.Version, changes));
    }

    private static async Task<OperationResult<AgentReleaseDeploymentSpec>> FindAsync(PortalDbContext db, string version, CancellationToken ct)
    {
        var release = await db.AgentReleases.AsNoTracking().FirstOrDefaultAsync(r => r.Version == version || r.Id == version, ct);
        return release is null
            ? OperationResult<AgentReleaseDeploymentSpec>.Fail(OperationOutcome.NotFound, $"There is no agent release {version}: upload it first (Agent releases, or POST {Portal.Shared.Routes.ApiRoutes.AgentReleases}).")
            : OperationResult<AgentReleaseDeploymentSpec>.Ok(new AgentReleaseDeploymentSpec(release.Id, release.Version, [.. release.Files]));
    }
}

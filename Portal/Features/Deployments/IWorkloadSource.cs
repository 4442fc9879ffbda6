using Portal.Common;
using Portal.Data;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Where one kind of deployment comes from (a marketplace app, a registered model; later stacks, data flows, agent
/// releases). A source only says what a request deploys: it resolves the request once into a <see cref="WorkloadChoice"/>
/// (or a problem), and an update into the next revision. Everything else — targets, names, identical-deployment
/// detection, events, audit, the rollout, desired states and reports — is written once, in this folder, for every kind.
/// Sources live in the feature that owns what they deploy and are registered as <see cref="IWorkloadSource"/>.
/// </summary>
public interface IWorkloadSource
{
    DeploymentKind Kind { get; }

    /// <summary>Whether a create request names a workload of this kind (its id fields are set).</summary>
    bool IsAskedFor(CreateDeploymentRequest request);

    /// <summary>The workload a create request names, checked: it exists, may be deployed, and its parameters bind.</summary>
    Task<OperationResult<WorkloadChoice>> ChooseAsync(PortalDbContext db, CreateDeploymentRequest request, CancellationToken ct);

    /// <summary>What an update makes a deployment <paramref name="d"/> of this kind deploy next.</summary>
    Task<OperationResult<WorkloadUpdate>> UpdateAsync(PortalDbContext db, Deployment d, UpdateDeploymentRequest request, CancellationToken ct);
}

using Portal.Common;
using Portal.Data;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

public sealed partial class DeploymentService
{
    /// <summary>
    /// What creating <paramref name="request"/> would do to its target devices, without creating anything: the same
    /// validation as a create, then every target device checked.
    /// </summary>
    public async Task<OperationResult<DeploymentCheck>> CheckAsync(CreateDeploymentRequest? request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var prepared = await PrepareAsync(db, request, cancellationToken);
        return prepared.Succeeded
            ? OperationResult<DeploymentCheck>.Ok(await gate.CheckAsync(prepared.Value!.Deployment, cancellationToken))
            : OperationResult<DeploymentCheck>.Fail(prepared.Outcome, prepared.Error!);
    }

    /// <summary>A validated deployment and how its creation is described in its first event and in the audit log.</summary>
    private sealed record Prepared(Deployment Deployment, string Created, string Audited);
}

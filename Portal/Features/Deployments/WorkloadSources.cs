using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>Every registered <see cref="IWorkloadSource"/>, found by what a request asks for or by a deployment's kind.</summary>
public sealed class WorkloadSources(IEnumerable<IWorkloadSource> sources)
{
    private readonly IReadOnlyList<IWorkloadSource> all = [.. sources];

    /// <summary>The source a create request names (each kind is asked for by its own fields).</summary>
    public IWorkloadSource? For(CreateDeploymentRequest request) => all.FirstOrDefault(s => s.IsAskedFor(request));

    public IWorkloadSource For(DeploymentKind kind) =>
        all.FirstOrDefault(s => s.Kind == kind) ?? throw new InvalidOperationException($"No workload source is registered for {kind} deployments.");
}

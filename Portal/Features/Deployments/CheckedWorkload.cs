using Portal.Data;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// What <see cref="DeploymentChecks"/> needs to know of a workload: its kind, what it asks of a device (host ports, a
/// GPU, disk, a CPU architecture) and how to recognise it already being there (the same image or model file).
/// </summary>
/// <param name="Name">The workload's name on a device: the app id or the model's name.</param>
/// <param name="Title">How a person calls it: "Busybox web server 1", "detector v2".</param>
public sealed record CheckedWorkload(
    string Name,
    string Title,
    WorkloadKind Kind,
    IReadOnlyList<PortMapping> Ports,
    string NetworkMode,
    bool NeedsGpu,
    bool PrefersCuda,
    long? SizeBytes,
    IReadOnlyList<string>? Architectures,
    string Artifact,
    IReadOnlyList<Portal.Features.FleetConfig.ConfigReference>? References = null)
{
    public static CheckedWorkload For(string appId, string appName, AppVersion version) => new(
        appId, $"{appName} {version.Version}", WorkloadKind.Container, version.Ports ?? [], version.NetworkMode, version.Limits?.Gpu == true, false,
        version.ImageSizeBytes, version.Architectures is { Count: > 0 } archs ? archs : null, version.Image);

    public static CheckedWorkload For(ModelDeploymentSpec model) => new(
        model.ModelName, $"{model.ModelName} v{model.Version}", WorkloadKind.Model, [], "none", false,
        string.Equals(model.ExecutionProvider, "cuda", StringComparison.OrdinalIgnoreCase), model.SizeBytes, null, model.Sha256);

    /// <summary>The deployment's workload: its app version or its model version.</summary>
    public static CheckedWorkload For(Deployment deployment) =>
        deployment.Model is { } model ? For(model) : For(deployment.SourceId, deployment.SourceName, deployment.Spec!) with
        {
            // Parameters may carry references too: they are substituted into the command and environment.
            References = Portal.Features.FleetConfig.ConfigReference.In(
                (deployment.Spec!.Command ?? []).Concat(deployment.Spec.Environment?.Values ?? []).Concat(deployment.Parameters.Values)),
        };
}

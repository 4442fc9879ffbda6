using Portal.Data;
using Portal.Features.Compose;
using Portal.Features.FleetConfig;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// What <see cref="DeploymentChecks"/> needs to know of a workload: its kind, what it asks of a device (host ports, a
/// GPU, disk, a CPU architecture, host devices) and how to recognise it already being there (the same image or model file).
/// </summary>
/// <param name="Name">The workload's name on a device: the app id or the model's name.</param>
/// <param name="Title">How a person calls it: "Busybox web server 1", "detector v2".</param>
/// <param name="NeedsModel">The model a data flow's model step runs, which must be served on the same device.</param>
/// <param name="HostDevices">The host devices (<c>/dev/…</c>) a stack's services ask for; agents do not report theirs, so this is a note.</param>
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
    IReadOnlyList<ConfigReference>? References = null,
    IReadOnlyList<string>? HostDevices = null,
    IReadOnlyList<TypedReference>? Typed = null,
    string? NeedsModel = null)
{
    public static CheckedWorkload For(string appId, string appName, AppVersion version) => new(
        appId, $"{appName} {version.Version}", WorkloadKind.Container, version.Ports ?? [], version.NetworkMode, version.Limits?.Gpu == true, false,
        version.ImageSizeBytes, version.Architectures is { Count: > 0 } archs ? archs : null, version.Image);

    public static CheckedWorkload For(ModelDeploymentSpec model) => new(
        model.ModelName, $"{model.ModelName} v{model.Version}", WorkloadKind.Model, [], "none", false,
        string.Equals(model.ExecutionProvider, "cuda", StringComparison.OrdinalIgnoreCase), model.SizeBytes, null, model.Sha256);

    /// <summary>
    /// The deployment's workload: its app version (one container or a stack) or its model version. A row with neither
    /// (damaged, or written by hand) asks nothing and references nothing: one bad row must not stop every rollout.
    /// </summary>
    public static CheckedWorkload For(Deployment deployment) => deployment switch
    {
        { AgentRelease: { } release } => ForRelease(release),
        { Flow: { } flow } => new(flow.FlowName, $"{flow.FlowName} v{flow.Version}", WorkloadKind.DataFlow, [], "none", false, false, null, null, "",
            ConfigReference.AllIn([.. Portal.Shared.DataFlows.DataFlowTexts.All(flow.Spec)]), NeedsModel: flow.Spec.Model?.Model),
        { Model: { } model } => For(model),
        { Spec: null } => new(deployment.SourceId, $"{deployment.SourceName} {deployment.Version}", WorkloadKind.Container, [], "none", false, false, null, null, ""),
        { Spec.IsStack: true } => ForStack(deployment.SourceId, deployment.SourceName, deployment.Spec, deployment.Parameters),
        _ => For(deployment.SourceId, deployment.SourceName, deployment.Spec!) with
        {
            // Parameters may carry references too: they are substituted into the command and environment.
            References = ConfigReference.AllIn(
                [.. (deployment.Spec!.Command ?? []).Concat(deployment.Spec.Environment?.Values ?? []).Concat(deployment.Parameters.Values)]),
            Typed = ParameterBinder.TypedReferences(deployment.Spec.Parameters, deployment.Parameters),
        },
    };

    /// <summary>
    /// An agent release: the device needs a build for its architecture, room for the largest build, and an agent that
    /// can update itself (<see cref="DeploymentChecks"/>); it is already there when the device reports that version.
    /// </summary>
    public static CheckedWorkload ForRelease(AgentReleaseDeploymentSpec release) => new(
        Portal.Shared.Workloads.AgentReleaseWorkloadSpec.WorkloadName, $"agent {release.Version}", WorkloadKind.AgentRelease, [], "none", false, false,
        release.Files.Count == 0 ? null : release.Files.Max(f => f.SizeBytes),
        [.. release.Files.Select(f => f.Architecture.Replace("linux-", "", StringComparison.Ordinal))], release.Version);

    /// <summary>
    /// A stack, judged by all its services as they would run: every host port any of them takes (under host networking
    /// its container ports), a GPU if any asks for one, every reference in their commands, entrypoints and environment,
    /// and their host devices. A compose file the parameters make unreadable asks nothing (it runs nowhere).
    /// </summary>
    public static CheckedWorkload ForStack(string appId, string appName, AppVersion version, IReadOnlyDictionary<string, string> parameters)
    {
        StackSpec stack;
        try
        {
            stack = StackSpecBuilder.Build(appId, "", version, parameters);
        }
        catch (ComposeException)
        {
            stack = new StackSpec(appId, "", [], "");
        }

        var services = stack.Services;
        var ports = services.SelectMany(s => s.Container.NetworkMode switch
        {
            "none" => [],
            "host" => s.Container.Ports.Select(p => p with { HostPort = p.ContainerPort }),
            _ => s.Container.Ports,
        }).ToList();
        var texts = services.SelectMany(s => s.Container.Command.Concat(s.Container.Environment.Values).Concat(s.Entrypoint ?? [])
            .Concat((s.Container.SecretFiles?.Keys ?? []).Select(name => ConfigReference.SecretMountPath + name))).ToList();
        return new CheckedWorkload(
            appId, $"{appName} {version.Version}", WorkloadKind.Stack, ports, "bridge", services.Any(s => s.Container.Limits.Gpu), false,
            version.ImageSizeBytes, version.Architectures is { Count: > 0 } archs ? archs : null,
            string.Join(' ', services.Select(s => s.Container.Image).Distinct(StringComparer.Ordinal)),
            ConfigReference.AllIn(texts),
            [.. services.SelectMany(s => s.Devices ?? []).Select(d => d.Split(':')[0]).Distinct(StringComparer.Ordinal)]);
    }
}

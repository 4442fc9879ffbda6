using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Features.Compose;
using Portal.Shared.Marketplace;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: turns what a deployment deploys into the workload a device runs (one <see cref="DesiredWorkload"/> of its kind).
/// For an app version and its parameter values: <c>${NAME}</c> in the
/// command and environment is replaced by the parameter's value; every parameter is also passed as an environment
/// variable. The spec hash covers everything that needs a new container, so an identical redeploy changes nothing.
/// </summary>
public static class WorkloadSpecBuilder
{
    /// <summary>
    /// What a deployment's current revision runs on a device, whatever its kind; null for a row that holds no spec
    /// (damaged, or written by hand): it runs nowhere, and never stops the other deployments from being computed.
    /// </summary>
    public static DesiredWorkload? Build(Portal.Data.Deployment d) =>
        d.AgentRelease is { } release ? DesiredWorkload.Of(Build(d.Id, release)) : Build(d, d.Spec, d.Parameters, d.Model, d.Flow);

    /// <summary>What an earlier revision of the deployment ran.</summary>
    public static DesiredWorkload? Build(Portal.Data.Deployment d, Portal.Data.DeploymentSnapshot revision) =>
        revision.AgentRelease is { } release ? DesiredWorkload.Of(Build(d.Id, release)) : Build(d, revision.Spec, revision.Parameters, revision.Model, revision.Flow);

    /// <summary>An agent release: the hash covers the version and every build (a redeploy of the same release changes nothing).</summary>
    public static AgentReleaseWorkloadSpec Build(string deploymentId, Portal.Data.AgentReleaseDeploymentSpec release)
    {
        var files = release.Files.Select(f => new AgentReleaseFile(f.Architecture, f.Sha256, f.SizeBytes, Portal.Shared.Routes.ApiRoutes.AgentArtifact(f.Sha256), f.Signature)).ToList();
        var hashed = $"{release.Version}|{string.Join('|', files.Select(f => $"{f.Architecture}:{f.Sha256}"))}";
        return new AgentReleaseWorkloadSpec(AgentReleaseWorkloadSpec.WorkloadName, deploymentId, release.Version,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashed)))[..16], files);
    }

    private static DesiredWorkload? Build(
        Portal.Data.Deployment d, AppVersion? app, IReadOnlyDictionary<string, string> parameters, Portal.Data.ModelDeploymentSpec? model, Portal.Data.DataFlowDeploymentSpec? flow) =>
        (app, model, flow) switch
        {
            (_, _, { } f) => DesiredWorkload.Of(Build(d.Id, f)),
            (_, { } m, _) => DesiredWorkload.Of(Build(d.Id, m)),
            ({ IsStack: true } a, null, _) => Stack(d, a, parameters),
            ({ } a, null, _) => DesiredWorkload.Of(Build(d.SourceId, d.Id, a, parameters)),
            _ => null,
        };

    /// <summary>A data flow: run under the flow's name; the hash covers the spec (a new version restarts the flow, a redeploy does not).</summary>
    public static DataFlowWorkloadSpec Build(string deploymentId, Portal.Data.DataFlowDeploymentSpec flow)
    {
        var hashed = JsonSerializer.Serialize(flow.Spec, JsonSerializerOptions.Web);
        return new DataFlowWorkloadSpec(flow.FlowName, deploymentId, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashed)))[..16], flow.Spec);
    }

    /// <summary>
    /// A stack version: its compose file, checked on upload, is parsed again with the parameters in; a value that makes
    /// it unreadable (a port parameter of "abc") leaves the row running nowhere rather than stopping every other one.
    /// </summary>
    private static DesiredWorkload? Stack(Portal.Data.Deployment d, AppVersion app, IReadOnlyDictionary<string, string> parameters)
    {
        try
        {
            return DesiredWorkload.Of(StackSpecBuilder.Build(d.SourceId, d.Id, app, parameters));
        }
        catch (ComposeException)
        {
            return null;
        }
    }

    /// <summary>A model workload: served under the model's name; a new file or provider means loading again.</summary>
    public static ModelWorkloadSpec Build(string deploymentId, Portal.Data.ModelDeploymentSpec model)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{model.Sha256}|{model.ExecutionProvider}|{model.Version}")))[..16];
        return new ModelWorkloadSpec(model.ModelName, deploymentId, model.ModelId, model.Version, model.Sha256, model.SizeBytes,
            Portal.Shared.Routes.ApiRoutes.AgentArtifact(model.Sha256), model.ExecutionProvider, hash);
    }

    public static WorkloadSpec Build(string workloadName, string deploymentId, AppVersion version, IReadOnlyDictionary<string, string> parameters)
    {
        string Substitute(string text) => parameters.Aggregate(text, (t, p) => t.Replace("${" + p.Key + "}", p.Value, StringComparison.Ordinal));

        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in version.Environment ?? new Dictionary<string, string>())
        {
            environment[key] = Substitute(value);
        }

        var spec = new WorkloadSpec(
            workloadName,
            deploymentId,
            version.Image,
            (version.Command ?? []).Select(Substitute).ToList(),
            environment,
            version.Ports ?? [],
            version.Volumes ?? [],
            version.RestartPolicy,
            version.NetworkMode,
            version.Limits ?? new ResourceLimits(),
            "",
            LiveConfig: version.LiveConfig);
        // The deployment id is left out: a newer deployment of the very same thing must not recreate the container.
        var hashed = JsonSerializer.Serialize(spec with { DeploymentId = "" }, JsonSerializerOptions.Web);
        return spec with { SpecHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashed)))[..16] };
    }
}

using Portal.Data;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: what a device runs now of a deployment's app or model, in words, from its last report: which version, and
/// from which revision of this deployment or from which other deployment (after a rollback or a supersession).
/// </summary>
public static class DeviceRuns
{
    public sealed record Deployed(string Name, string Version);

    /// <param name="reported">The device's report of the workload with this deployment's app or model name; null when it reports none.</param>
    /// <param name="others">Other deployments by id, for a workload that belongs to one of them.</param>
    public static string Describe(Deployment d, WorkloadStatus? reported, IReadOnlyDictionary<string, Deployed> others)
    {
        if (reported is null)
        {
            return "Nothing of it";
        }

        var state = reported.State is WorkloadState.Running or WorkloadState.Ready ? "" : $" ({reported.State})";
        if (reported.DeploymentId != d.Id)
        {
            return others.TryGetValue(reported.DeploymentId, out var other)
                ? $"{Label(d, other.Version)} from deployment '{other.Name}'{state}"
                : $"A deleted deployment's version{state}";
        }

        if (WorkloadSpecBuilder.Build(d)?.SpecHash == reported.SpecHash)
        {
            return $"{Label(d, d.Version)} · revision {DeploymentRevisions.Current(d)}{state}";
        }

        return d.Previous is { } previous && WorkloadSpecBuilder.Build(d, previous)?.SpecHash == reported.SpecHash
            ? $"{Label(d, previous.Version)} · revision {previous.Revision}{state}"
            : $"An earlier revision{state}";
    }

    /// <summary>The name a device runs the deployment's workload under: the app's id (a container or a stack), the model's or the flow's name.</summary>
    public static (string Name, WorkloadKind Kind) WorkloadName(Deployment d) =>
        d.AgentRelease is not null ? (AgentReleaseWorkloadSpec.WorkloadName, WorkloadKind.AgentRelease)
        : d.Flow is { } flow ? (flow.FlowName, WorkloadKind.DataFlow)
        : d.Model is { } model ? (model.ModelName, WorkloadKind.Model)
        : d.Spec is { IsStack: true } ? (d.SourceId, WorkloadKind.Stack)
        : (d.SourceId, WorkloadKind.Container);

    private static string Label(Deployment d, string version) => d.Kind switch
    {
        Portal.Shared.Deployments.DeploymentKind.App => version,
        Portal.Shared.Deployments.DeploymentKind.AgentRelease => $"agent {version}",
        _ => $"v{version}",
    };
}

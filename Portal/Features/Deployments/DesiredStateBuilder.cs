using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: a device's workloads from the deployments released to it. Each app runs once per device: when two deployments
/// carry the same app, the newer wins, so rolling one back hands the device back to the one before.
/// </summary>
public static class DesiredStateBuilder
{
    public sealed record Released(WorkloadSpec Workload, DateTimeOffset DeployedAt);

    public static IReadOnlyList<WorkloadSpec> Workloads(IEnumerable<Released> released) =>
        released.GroupBy(r => r.Workload.Name, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.DeployedAt).ThenByDescending(r => r.Workload.DeploymentId, StringComparer.Ordinal).First().Workload)
            .OrderBy(w => w.Name, StringComparer.Ordinal)
            .ToList();

    public sealed record ReleasedModel(ModelWorkloadSpec Model, DateTimeOffset DeployedAt);

    /// <summary>Each model is served once per device under its name; the newer deployment wins, as for apps.</summary>
    public static IReadOnlyList<ModelWorkloadSpec> Models(IEnumerable<ReleasedModel> released) =>
        released.GroupBy(r => r.Model.Name, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.DeployedAt).ThenByDescending(r => r.Model.DeploymentId, StringComparer.Ordinal).First().Model)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();

    public static bool SameAs(IReadOnlyList<ModelWorkloadSpec> a, IReadOnlyList<ModelWorkloadSpec> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.SpecHash == p.Second.SpecHash && p.First.DeploymentId == p.Second.DeploymentId);

    /// <summary>Same workloads, same order, same specs: no new revision.</summary>
    public static bool SameAs(IReadOnlyList<WorkloadSpec> a, IReadOnlyList<WorkloadSpec> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.SpecHash == p.Second.SpecHash && p.First.DeploymentId == p.Second.DeploymentId);
}

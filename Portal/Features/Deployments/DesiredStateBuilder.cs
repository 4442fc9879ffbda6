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
        NewestPerName(released.Select(r => (r.Workload, r.DeployedAt)), w => w.Name, w => w.DeploymentId);

    public sealed record ReleasedModel(ModelWorkloadSpec Model, DateTimeOffset DeployedAt);

    /// <summary>Each model is served once per device under its name; the newer deployment wins, as for apps.</summary>
    public static IReadOnlyList<ModelWorkloadSpec> Models(IEnumerable<ReleasedModel> released) =>
        NewestPerName(released.Select(r => (r.Model, r.DeployedAt)), m => m.Name, m => m.DeploymentId);

    public static bool SameAs(IReadOnlyList<ModelWorkloadSpec> a, IReadOnlyList<ModelWorkloadSpec> b) =>
        Same(a, b, m => (m.Name, m.SpecHash, m.DeploymentId));

    /// <summary>Same workloads, same order, same specs: no new revision.</summary>
    public static bool SameAs(IReadOnlyList<WorkloadSpec> a, IReadOnlyList<WorkloadSpec> b) =>
        Same(a, b, w => (w.Name, w.SpecHash, w.DeploymentId));

    private static List<T> NewestPerName<T>(IEnumerable<(T Item, DateTimeOffset DeployedAt)> released, Func<T, string> name, Func<T, string> deploymentId) =>
        released.GroupBy(r => name(r.Item), StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.DeployedAt).ThenByDescending(r => deploymentId(r.Item), StringComparer.Ordinal).First().Item)
            .OrderBy(name, StringComparer.Ordinal)
            .ToList();

    private static bool Same<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, (string, string, string)> key) =>
        a.Count == b.Count && a.Zip(b).All(p => key(p.First) == key(p.Second));
}

using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: a device's workloads from the deployments released to it, every kind in one list. Each workload runs once per
/// device under its kind and name: when two deployments carry the same app (or model), the newer wins, so rolling one
/// back hands the device back to the one before.
/// </summary>
public static class DesiredStateBuilder
{
    public sealed record Released(DesiredWorkload Workload, DateTimeOffset DeployedAt);

    public static IReadOnlyList<DesiredWorkload> Workloads(IEnumerable<Released> released) =>
        released.GroupBy(r => (r.Workload.Kind, r.Workload.Name))
            .Select(g => g.OrderByDescending(r => r.DeployedAt).ThenByDescending(r => r.Workload.DeploymentId, StringComparer.Ordinal).First().Workload)
            .OrderBy(w => w.Kind).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Same workloads, same order, same specs: no new revision.</summary>
    public static bool SameAs(IReadOnlyList<DesiredWorkload> a, IReadOnlyList<DesiredWorkload> b) =>
        a.Count == b.Count && a.Zip(b).All(p => (p.First.Kind, p.First.Name, p.First.SpecHash, p.First.DeploymentId, p.First.Container?.ConfigVersion)
            == (p.Second.Kind, p.Second.Name, p.Second.SpecHash, p.Second.DeploymentId, p.Second.Container?.ConfigVersion));
}

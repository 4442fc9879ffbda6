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

    /// <summary>Same workloads, same order, same specs: no new revision.</summary>
    public static bool SameAs(IReadOnlyList<WorkloadSpec> a, IReadOnlyList<WorkloadSpec> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.SpecHash == p.Second.SpecHash && p.First.DeploymentId == p.Second.DeploymentId);
}

using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: which deployment targets a newer deployment of the same workload has taken over. A device runs each app (and
/// each model) once, from the newest deployment released to it (<see cref="DesiredStateBuilder"/>); every older
/// deployment's target on that device is superseded by it, released or still waiting. When the newer one is rolled back
/// or deleted, the older target is no longer superseded and the device is handed back.
/// </summary>
public static class Supersession
{
    /// <param name="Workload">What runs once per device: "app:{id}" or "model:{name}".</param>
    public sealed record Candidate(string DeploymentId, string DeploymentName, string Workload, DateTimeOffset CreatedAt, string DeviceId, DeviceRolloutState State, bool Released);

    /// <summary>(deployment, device) → the deployment that supersedes it there.</summary>
    public static Dictionary<(string DeploymentId, string DeviceId), Candidate> Find(IEnumerable<Candidate> targets)
    {
        var superseded = new Dictionary<(string, string), Candidate>();
        foreach (var group in targets.Where(t => t.State != DeviceRolloutState.RolledBack).GroupBy(t => (t.Workload, t.DeviceId)))
        {
            // The same order as the desired state's "newest wins".
            var owner = group.Where(t => t.Released).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.DeploymentId, StringComparer.Ordinal).FirstOrDefault();
            if (owner is null)
            {
                continue;
            }

            foreach (var older in group.Where(t => IsOlder(t, owner)))
            {
                superseded[(older.DeploymentId, older.DeviceId)] = owner;
            }
        }

        return superseded;
    }

    public static string Reason(Candidate by) => $"Superseded by deployment {by.DeploymentId} ({by.DeploymentName})";

    public static string WorkloadOf(Data.Deployment deployment) => deployment switch
    {
        { AgentRelease: not null } => "agent",
        { Flow: { } flow } => $"flow:{flow.FlowName}",
        { Model: { } model } => $"model:{model.ModelName}",
        _ => $"app:{deployment.SourceId}",
    };

    private static bool IsOlder(Candidate t, Candidate owner) =>
        t.CreatedAt < owner.CreatedAt || (t.CreatedAt == owner.CreatedAt && string.CompareOrdinal(t.DeploymentId, owner.DeploymentId) < 0);
}

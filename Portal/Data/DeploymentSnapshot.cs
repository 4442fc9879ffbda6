using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Data;

/// <summary>
/// One revision of a deployment as it was: what it deployed, with which values, to which targets. Kept (as JSON) for
/// the revision before the current one; <see cref="RolledBack"/> marks a revision that was rolled back to the one before it.
/// </summary>
public sealed record DeploymentSnapshot(
    int Revision,
    string Name,
    string Version,
    AppVersion? Spec,
    ModelDeploymentSpec? Model,
    Dictionary<string, string> Parameters,
    List<string> GroupIds,
    List<string> DeviceIds,
    RolloutStrategy Strategy,
    bool RolledBack = false,
    DataFlowDeploymentSpec? Flow = null,
    AgentReleaseDeploymentSpec? AgentRelease = null)
{
    public static DeploymentSnapshot Of(Deployment d, bool rolledBack = false) =>
        new(Math.Max(1, d.Revision), d.Name, d.Version, d.Spec, d.Model, new(d.Parameters, StringComparer.Ordinal), [.. d.GroupIds], [.. d.DeviceIds], d.Strategy, rolledBack, d.Flow, d.AgentRelease);

    /// <summary>Makes <paramref name="d"/> deploy this snapshot again (the revision number is the caller's).</summary>
    public void ApplyTo(Deployment d)
    {
        (d.Name, d.Version, d.Spec, d.Model, d.Flow, d.AgentRelease) = (Name, Version, Spec, Model, Flow, AgentRelease);
        d.Parameters = new(Parameters, StringComparer.Ordinal);
        (d.GroupIds, d.DeviceIds, d.Strategy) = ([.. GroupIds], [.. DeviceIds], Strategy);
    }
}

using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: the desired state in the shape a device's agent reads. Agents from 0.3.0 read the one list of workloads;
/// older ones (and agents whose version cannot be read, such as development builds) also get the containers and models
/// lists they read, so an agent that was not updated yet keeps running what it should.
/// </summary>
public static class DesiredStateShape
{
    public static readonly Version ItemsOnlyFrom = new(0, 3, 0);

    public static DesiredState For(DesiredState state, string? agentVersion) =>
        DeploymentChecks.AgentVersion(agentVersion) is { } version && version >= ItemsOnlyFrom ? state.WithoutOldShape() : state.WithOldShape();
}

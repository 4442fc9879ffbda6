using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: the desired state in the shape a device's agent reads. Agents from 0.3.0 read the one list of workloads;
/// older ones (and agents whose version cannot be read, such as development builds) also get the containers and models
/// lists they read, so an agent that was not updated yet keeps running what it should. A kind of workload an agent's
/// version does not know is left out of its state (an agent refuses a whole state holding a kind it cannot name).
/// </summary>
public static class DesiredStateShape
{
    public static readonly Version ItemsOnlyFrom = new(0, 3, 0);

    /// <summary>The first agent version that runs data flows.</summary>
    public static readonly Version DataFlowsFrom = new(0, 4, 0);

    /// <summary>The first agent version that updates itself.</summary>
    public static readonly Version AgentReleasesFrom = new(0, 5, 0);

    public static DesiredState For(DesiredState state, string? agentVersion)
    {
        var version = DeploymentChecks.AgentVersion(agentVersion);
        if (version is null || version < DataFlowsFrom)
        {
            state = state with { Items = [.. state.All().Where(w => w.Kind != WorkloadKind.DataFlow)] };
        }

        if (version is null || version < AgentReleasesFrom)
        {
            state = state with { Items = [.. state.All().Where(w => w.Kind != WorkloadKind.AgentRelease)] };
        }

        return version is not null && version >= ItemsOnlyFrom ? state.WithoutOldShape() : state.WithOldShape();
    }
}

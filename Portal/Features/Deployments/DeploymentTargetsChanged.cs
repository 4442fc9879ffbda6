using Portal.Common;
using Portal.Features.Groups;

namespace Portal.Features.Deployments;

/// <summary>Wakes the rollout loop and tells open pages, once per deployment whose targets changed.</summary>
public sealed class DeploymentTargetsChanged(RolloutSignal signal, Notifier<DeploymentChanged> changes) : IDeploymentTargetsChanged
{
    public void Changed(IReadOnlyList<string> deploymentIds)
    {
        signal.Wake();
        foreach (var id in deploymentIds)
        {
            changes.Publish(new DeploymentChanged(id));
        }
    }
}

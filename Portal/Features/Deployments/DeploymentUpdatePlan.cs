using Portal.Data;

namespace Portal.Features.Deployments;

/// <summary>An update worked out but not applied: the next revision, whether devices must get something new, what changes, and where.</summary>
internal sealed record DeploymentUpdatePlan(DeploymentSnapshot Next, bool WorkloadChanged, IReadOnlyList<string> Changes, TargetChanges Devices)
{
    public bool ChangesNothing => Changes.Count == 0;
}

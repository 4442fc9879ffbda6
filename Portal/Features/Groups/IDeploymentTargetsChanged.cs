namespace Portal.Features.Groups;

/// <summary>
/// Told when deployments lost a target group under them (the group was deleted): they must step again and their pages
/// refresh. Implemented where rollouts live (Deployments), so groups do not depend on the feature above them.
/// </summary>
public interface IDeploymentTargetsChanged
{
    void Changed(IReadOnlyList<string> deploymentIds);
}

using Portal.Data;

namespace Portal.Features.Deployments;

/// <summary>
/// What an update makes a deployment deploy: the next revision's snapshot (targets and strategy still the current ones),
/// whether devices must do anything new, and the changes in words.
/// </summary>
public sealed record WorkloadUpdate(DeploymentSnapshot Next, bool Changed, IReadOnlyList<string> Changes);

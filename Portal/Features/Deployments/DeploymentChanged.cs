namespace Portal.Features.Deployments;

/// <summary>Published whenever a deployment or one of its devices changes, so open pages re-render.</summary>
public sealed record DeploymentChanged(string DeploymentId);

namespace Portal.Shared.Deployments;

/// <summary>Deploy a version of a certified app to groups and/or devices.</summary>
public sealed record CreateDeploymentRequest(
    string AppId,
    string Version,
    string? Name = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<string>? GroupIds = null,
    IReadOnlyList<string>? DeviceIds = null,
    RolloutStrategy? Strategy = null);

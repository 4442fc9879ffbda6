namespace Portal.Shared.Deployments;

/// <summary>
/// The next revision of a deployment: every field left null stays as it is. <see cref="Version"/> (an app deployment)
/// or <see cref="ModelVersion"/> (a model deployment) or <see cref="DataFlowVersion"/> (a data flow deployment) or <see cref="AgentReleaseVersion"/> (an agent update) picks another version of the same app or model;
/// <see cref="Parameters"/> replaces the values (a secret sent as "••••••" keeps its value); <see cref="GroupIds"/>
/// and <see cref="DeviceIds"/> replace the targets. Devices that would lose the workload because a target is removed
/// lose it only when <see cref="ConfirmRemovals"/> is true; otherwise the update is refused naming them.
/// </summary>
public sealed record UpdateDeploymentRequest(
    string? Version = null,
    int? ModelVersion = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<string>? GroupIds = null,
    IReadOnlyList<string>? DeviceIds = null,
    RolloutStrategy? Strategy = null,
    bool ConfirmRemovals = false,
    int? DataFlowVersion = null,
    string? AgentReleaseVersion = null);

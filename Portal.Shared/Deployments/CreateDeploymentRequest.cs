namespace Portal.Shared.Deployments;

/// <summary>
/// Deploy a version of a certified app (<see cref="AppId"/> and <see cref="Version"/>), or a model version
/// (<see cref="ModelId"/> and <see cref="ModelVersion"/>), or a data flow version (<see cref="DataFlowId"/>, its id
/// or name, and <see cref="DataFlowVersion"/>), or an agent release (<see cref="AgentReleaseVersion"/>) to groups and/or devices. A model deployment sends the
/// optimized file unless <see cref="UseOriginal"/>, and runs on CUDA where the device has it if
/// <see cref="ExecutionProvider"/> is "cuda" (otherwise "cpu"). Targets that cannot run it (see
/// <c>POST /api/v1/deployments/check</c>) make the request a conflict unless <see cref="SkipIneligible"/>: then the
/// deployment goes to the rest and those devices are marked Skipped with the reason.
/// </summary>
public sealed record CreateDeploymentRequest(
    string? AppId,
    string? Version,
    string? Name = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<string>? GroupIds = null,
    IReadOnlyList<string>? DeviceIds = null,
    RolloutStrategy? Strategy = null,
    string? ModelId = null,
    int? ModelVersion = null,
    string? ExecutionProvider = null,
    bool UseOriginal = false,
    bool SkipIneligible = false,
    string? DataFlowId = null,
    int? DataFlowVersion = null,
    string? AgentReleaseVersion = null);

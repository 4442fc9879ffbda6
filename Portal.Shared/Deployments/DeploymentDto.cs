namespace Portal.Shared.Deployments;

/// <summary>
/// A deployment with its progress; <see cref="Devices"/> and <see cref="Events"/> only when asked for one deployment.
/// <see cref="Revision"/> counts updates in place (1 when created); <see cref="PreviousVersion"/> is the version the
/// revision before deployed, if there was one. <see cref="Kind"/> says what it deploys: for an app <see cref="AppId"/>
/// and <see cref="AppName"/> name the app, for a model they name the model (and <see cref="Model"/> says more).
/// </summary>
public sealed record DeploymentDto(
    string Id,
    string Name,
    string AppId,
    string AppName,
    string Version,
    DeploymentState State,
    string? StateReason,
    RolloutStrategy Strategy,
    IReadOnlyList<string> GroupIds,
    IReadOnlyList<string> DeviceIds,
    IReadOnlyDictionary<string, string> Parameters,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DeploymentProgress Progress,
    IReadOnlyList<DeploymentDeviceDto>? Devices = null,
    IReadOnlyList<DeploymentEventDto>? Events = null,
    DeployedModel? Model = null,
    int Revision = 1,
    string? PreviousVersion = null,
    DeploymentKind Kind = DeploymentKind.App);

/// <summary>For a model deployment: the model version, the file's hash and size, and the execution provider asked for.</summary>
public sealed record DeployedModel(string ModelId, string ModelName, int Version, string Sha256, long SizeBytes, bool Original, string ExecutionProvider);

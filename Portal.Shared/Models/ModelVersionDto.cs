namespace Portal.Shared.Models;

/// <summary>
/// One uploaded version: the original file's hash and size, the portable optimized variant devices receive by default,
/// its signature, stage and notes, and the deployments that use it.
/// </summary>
public sealed record ModelVersionDto(
    string ModelId,
    string ModelName,
    int Version,
    ModelStage Stage,
    string ReleaseNotes,
    string FileName,
    string Sha256,
    long SizeBytes,
    string? OptimizedSha256,
    long? OptimizedSizeBytes,
    ModelSignature Signature,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    IReadOnlyList<ModelUsage> Deployments);

/// <summary>A deployment of a model version and how many of its devices have it Ready.</summary>
public sealed record ModelUsage(string DeploymentId, string Name, Portal.Shared.Deployments.DeploymentState State, int Devices, int Ready);

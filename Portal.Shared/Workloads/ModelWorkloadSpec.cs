namespace Portal.Shared.Workloads;

/// <summary>
/// A model a device should serve on its local inference endpoint under <see cref="Name"/>: the artifact to download
/// (by hash, from <see cref="DownloadPath"/> on the portal, with the device's own credentials) and the execution
/// provider it prefers. <see cref="SpecHash"/> changes whenever the device must load something else.
/// </summary>
public sealed record ModelWorkloadSpec(
    string Name,
    string DeploymentId,
    string ModelId,
    int Version,
    string Sha256,
    long SizeBytes,
    string DownloadPath,
    string ExecutionProvider,
    string SpecHash);

namespace Portal.Data;

/// <summary>
/// What a model deployment deploys, fixed when it is created: the version and the file devices receive (the
/// optimized variant unless the deployment asked for the original), and the execution provider it prefers.
/// </summary>
public sealed record ModelDeploymentSpec(string ModelId, string ModelName, int Version, string Sha256, long SizeBytes, bool Original, string ExecutionProvider);

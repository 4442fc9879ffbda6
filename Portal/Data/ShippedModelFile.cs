namespace Portal.Data;

/// <summary>
/// Which file of a version devices get. The optimized copy only where it is smaller than the original: constant folding
/// can write expanded tensors into the file, and a copy that grew costs every device more to download and hold for no
/// gain. Versions stored before this rule may hold such a copy; they are shipped the original too. Here, beside the entity,
/// because deployments and the model registry both ship files.
/// </summary>
internal static class ShippedModelFile
{
    public static bool OptimizedHelps(long originalBytes, long? optimizedBytes) => optimizedBytes is { } optimized && optimized < originalBytes;

    public static (string Sha256, long SizeBytes, bool Original) Choose(ModelVersion version, bool useOriginal) =>
        !useOriginal && version.OptimizedSha256 is { } sha && OptimizedHelps(version.SizeBytes, version.OptimizedSizeBytes)
            ? (sha, version.OptimizedSizeBytes!.Value, false)
            : (version.Sha256, version.SizeBytes, true);
}

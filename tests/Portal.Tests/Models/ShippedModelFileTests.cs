using Portal.Data;
using Portal.Shared.Models;

namespace Portal.Tests.Models;

public sealed class ShippedModelFileTests
{
    private static ModelVersion Version(long original, long? optimized) => new()
    {
        ModelId = "m", Number = 1, FileName = "m.onnx", Sha256 = "original-sha", SizeBytes = original,
        OptimizedSha256 = optimized is null ? null : "optimized-sha", OptimizedSizeBytes = optimized,
        Signature = new ModelSignature([], [], new Dictionary<string, long>(), 8, "", "", "", "", new Dictionary<string, string>()),
    };

    [Fact]
    public void Choose_OptimizedCopySmaller_ShipsTheCopy() =>
        Assert.Equal(("optimized-sha", 900L, false), ShippedModelFile.Choose(Version(1000, 900), useOriginal: false));

    [Fact]
    public void Choose_OptimizedCopyLarger_ShipsTheOriginal() =>
        // The reported sample: the copy was 6.8 % larger and still what devices got.
        Assert.Equal(("original-sha", 1000L, true), ShippedModelFile.Choose(Version(1000, 1068), useOriginal: false));

    [Fact]
    public void Choose_OptimizedCopySameSize_ShipsTheOriginal() =>
        Assert.Equal(("original-sha", 1000L, true), ShippedModelFile.Choose(Version(1000, 1000), useOriginal: false));

    [Fact]
    public void Choose_NoCopyOrOriginalAskedFor_ShipsTheOriginal()
    {
        Assert.Equal(("original-sha", 1000L, true), ShippedModelFile.Choose(Version(1000, null), useOriginal: false));
        Assert.Equal(("original-sha", 1000L, true), ShippedModelFile.Choose(Version(1000, 900), useOriginal: true));
    }
}

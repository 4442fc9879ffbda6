using Portal.Agent.Inference;
using Portal.Shared.Models;

namespace Portal.Agent.Tests.Inference;

public sealed class OutputShapesTests
{
    private static readonly TensorSignature[] Inputs =
    [
        new("image", "FP32", [-1, 3, -1, -1], ["batch", "", "height", "width"]),
        new("lengths", "INT64", [-1], ["batch"]),
    ];

    private static readonly Dictionary<string, long> Symbols = OutputShapes.Symbols(Inputs, [[2, 3, 480, 640], [2]]);

    [Fact]
    public void Symbols_NamedInputDimensions_TakeTheRequestsSizes() =>
        Assert.Equal(new Dictionary<string, long> { ["batch"] = 2, ["height"] = 480, ["width"] = 640 }, Symbols);

    [Fact]
    public void Resolve_FixedAndInputNamedDimensions_GiveTheShape() =>
        Assert.Equal([2L, 1000L], OutputShapes.Resolve(new TensorSignature("logits", "FP32", [-1, 1000], ["batch", ""]), Symbols)!);

    [Theory]
    [InlineData("")]           // no name: unknown until the model has run (NonZero, a detector's boxes)
    [InlineData("boxes")]      // a name no input has
    public void Resolve_ADimensionNoInputNames_IsUnknown(string name) =>
        Assert.Null(OutputShapes.Resolve(new TensorSignature("boxes", "FP32", [-1, 4], [name, ""]), Symbols));
}

using Portal.Agent.Inference;

namespace Portal.Agent.Tests.Inference;

public sealed class TensorShapesTests
{
    [Theory]
    [InlineData(new long[] { }, 1L)]
    [InlineData(new long[] { 2, 3, 4 }, 24L)]
    [InlineData(new long[] { 2147483648, 0, 2147483648 }, 0L)]
    [InlineData(new long[] { 4294967296, 2147483647 }, 9223372032559808512L)]
    public void TryCount_AShapeThatFits_IsTheProductOfItsDimensions(long[] shape, long expected)
    {
        Assert.True(TensorShapes.TryCount(shape, out var count));
        Assert.Equal(expected, count);
    }

    [Theory]
    [InlineData(new long[] { 2147483648, 2147483648, 2147483648 })]   // 2^93: wraps to 0 in unchecked arithmetic
    [InlineData(new long[] { 4294967296, 4294967296 })]
    [InlineData(new long[] { 3, -1 })]
    public void TryCount_AnOverflowingOrNegativeShape_IsRefused(long[] shape) => Assert.False(TensorShapes.TryCount(shape, out _));
}

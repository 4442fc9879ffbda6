using Microsoft.ML.OnnxRuntime.Tensors;

namespace Portal.Agent.Inference;

/// <summary>ONNX element types by their Open Inference Protocol names (FP32, INT64, ...), both ways.</summary>
public static class OnnxDatatypes
{
    private static readonly Dictionary<TensorElementType, string> Names = new()
    {
        [TensorElementType.Float] = "FP32",
        [TensorElementType.Double] = "FP64",
        [TensorElementType.Float16] = "FP16",
        [TensorElementType.BFloat16] = "BF16",
        [TensorElementType.Int8] = "INT8",
        [TensorElementType.Int16] = "INT16",
        [TensorElementType.Int32] = "INT32",
        [TensorElementType.Int64] = "INT64",
        [TensorElementType.UInt8] = "UINT8",
        [TensorElementType.UInt16] = "UINT16",
        [TensorElementType.UInt32] = "UINT32",
        [TensorElementType.UInt64] = "UINT64",
        [TensorElementType.Bool] = "BOOL",
        [TensorElementType.String] = "BYTES",
    };

    private static readonly Dictionary<string, TensorElementType> Types = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>
    /// The element types requests and responses carry in JSON: numbers (FP16 and BF16 too), booleans, and strings for
    /// BYTES. Every type ONNX Runtime's CPU provider serves; newer ones (FP8, INT4) are named but not read or written.
    /// </summary>
    public static readonly IReadOnlySet<string> Supported = Names.Values.ToHashSet(StringComparer.Ordinal);

    public static string NameOf(TensorElementType type) => Names.TryGetValue(type, out var name) ? name : type.ToString().ToUpperInvariant();

    public static TensorElementType? TypeOf(string name) => Types.TryGetValue(name, out var type) ? type : null;
}

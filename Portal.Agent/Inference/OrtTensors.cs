using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Portal.Agent.Inference;

/// <summary>
/// ONNX Runtime tensors to and from flat managed arrays, for every element type the CPU provider serves. Copying out
/// happens while the native values are still alive; callers free them afterwards and keep only managed data.
/// </summary>
public static class OrtTensors
{
    private static readonly Dictionary<Type, TensorElementType> ElementTypes = new()
    {
        [typeof(float[])] = TensorElementType.Float,
        [typeof(double[])] = TensorElementType.Double,
        [typeof(Float16[])] = TensorElementType.Float16,
        [typeof(BFloat16[])] = TensorElementType.BFloat16,
        [typeof(sbyte[])] = TensorElementType.Int8,
        [typeof(short[])] = TensorElementType.Int16,
        [typeof(int[])] = TensorElementType.Int32,
        [typeof(long[])] = TensorElementType.Int64,
        [typeof(byte[])] = TensorElementType.UInt8,
        [typeof(ushort[])] = TensorElementType.UInt16,
        [typeof(uint[])] = TensorElementType.UInt32,
        [typeof(ulong[])] = TensorElementType.UInt64,
        [typeof(bool[])] = TensorElementType.Bool,
        [typeof(string[])] = TensorElementType.String,
    };

    /// <summary>A zeroed array of <paramref name="count"/> elements of <paramref name="type"/>; null for types it cannot hold.</summary>
    public static Array? Allocate(TensorElementType type, long count) => type switch
    {
        TensorElementType.Float => new float[count],
        TensorElementType.Double => new double[count],
        TensorElementType.Float16 => new Float16[count],
        TensorElementType.BFloat16 => new BFloat16[count],
        TensorElementType.Int8 => new sbyte[count],
        TensorElementType.Int16 => new short[count],
        TensorElementType.Int32 => new int[count],
        TensorElementType.Int64 => new long[count],
        TensorElementType.UInt8 => new byte[count],
        TensorElementType.UInt16 => new ushort[count],
        TensorElementType.UInt32 => new uint[count],
        TensorElementType.UInt64 => new ulong[count],
        TensorElementType.Bool => new bool[count],
        TensorElementType.String => Enumerable.Repeat("", (int)count).ToArray(),
        _ => null,
    };

    /// <summary>
    /// A tensor over <paramref name="data"/> (numbers are pinned, not copied: the array must outlive the value;
    /// strings are copied into native memory).
    /// </summary>
    public static OrtValue Create(Array data, long[] shape) => ElementTypeOf(data) switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory((float[])data, shape),
        TensorElementType.Double => OrtValue.CreateTensorValueFromMemory((double[])data, shape),
        TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory((Float16[])data, shape),
        TensorElementType.BFloat16 => OrtValue.CreateTensorValueFromMemory((BFloat16[])data, shape),
        TensorElementType.Int8 => OrtValue.CreateTensorValueFromMemory((sbyte[])data, shape),
        TensorElementType.Int16 => OrtValue.CreateTensorValueFromMemory((short[])data, shape),
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory((int[])data, shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory((long[])data, shape),
        TensorElementType.UInt8 => OrtValue.CreateTensorValueFromMemory((byte[])data, shape),
        TensorElementType.UInt16 => OrtValue.CreateTensorValueFromMemory((ushort[])data, shape),
        TensorElementType.UInt32 => OrtValue.CreateTensorValueFromMemory((uint[])data, shape),
        TensorElementType.UInt64 => OrtValue.CreateTensorValueFromMemory((ulong[])data, shape),
        TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory((bool[])data, shape),
        _ => CreateStrings((string[])data, shape),
    };

    /// <summary>
    /// The element type of an array made by <see cref="Allocate"/>, by its exact runtime type. Not by pattern matching:
    /// the runtime lets a byte[] pass as sbyte[] (and uint[] as int[], ...), which would reinterpret the values.
    /// </summary>
    public static TensorElementType ElementTypeOf(Array data) =>
        ElementTypes.TryGetValue(data.GetType(), out var type)
            ? type
            : throw new ArgumentException($"{data.GetType().Name} is not an array of a tensor element type.", nameof(data));

    /// <summary>Copies every value of a run into managed memory; the caller still owns (and disposes) <paramref name="values"/>.</summary>
    public static List<OutputTensor> CopyOut(IReadOnlyList<string> names, IReadOnlyList<OrtValue> values)
    {
        var outputs = new List<OutputTensor>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            outputs.Add(CopyOut(names[i], values[i]));
        }

        return outputs;
    }

    public static OutputTensor CopyOut(string name, OrtValue value)
    {
        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new InferenceRequestException(
                $"Output '{name}' is a {value.OnnxType.ToString().Replace("ONNX_TYPE_", "", StringComparison.Ordinal)}, not a tensor, so it cannot be returned as v2 JSON; leave it out with \"outputs\": [{{\"name\": ...}}].");
        }

        var info = value.GetTensorTypeAndShape();
        Array data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Float16 => value.GetTensorDataAsSpan<Float16>().ToArray(),
            TensorElementType.BFloat16 => value.GetTensorDataAsSpan<BFloat16>().ToArray(),
            TensorElementType.Int8 => value.GetTensorDataAsSpan<sbyte>().ToArray(),
            TensorElementType.Int16 => value.GetTensorDataAsSpan<short>().ToArray(),
            TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().ToArray(),
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray(),
            TensorElementType.UInt16 => value.GetTensorDataAsSpan<ushort>().ToArray(),
            TensorElementType.UInt32 => value.GetTensorDataAsSpan<uint>().ToArray(),
            TensorElementType.UInt64 => value.GetTensorDataAsSpan<ulong>().ToArray(),
            TensorElementType.Bool => value.GetTensorDataAsSpan<bool>().ToArray(),
            TensorElementType.String => value.GetStringTensorAsArray(),
            _ => throw new InferenceRequestException(
                $"Output '{name}' is {OnnxDatatypes.NameOf(info.ElementDataType)}, which this endpoint cannot write as JSON; leave it out with \"outputs\": [{{\"name\": ...}}]."),
        };
        return new OutputTensor(name, OnnxDatatypes.NameOf(info.ElementDataType), info.Shape, data);
    }

    private static OrtValue CreateStrings(string[] data, long[] shape)
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        try
        {
            for (var i = 0; i < data.Length; i++)
            {
                value.StringTensorSetElementAt(data[i].AsSpan(), i);
            }

            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }
}

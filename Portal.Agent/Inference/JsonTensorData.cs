using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Portal.Agent.Inference;

/// <summary>
/// The <c>data</c> of a v2 tensor, both ways: JSON numbers for every numeric type (FP16 and BF16 too), true/false for
/// BOOL, strings for BYTES; flat or nested in the request, flat in the response. Non-finite floats are written as null.
/// </summary>
public static class JsonTensorData
{
    private const double MaxFloat16 = 65504;

    /// <summary>Exactly <paramref name="count"/> values of <paramref name="type"/>, or a message naming the first bad one.</summary>
    public static Array Read(string name, TensorElementType type, JsonElement data, long count, long[] shape)
    {
        var buffer = OrtTensors.Allocate(type, count)
            ?? throw new InferenceRequestException($"Input '{name}' is {OnnxDatatypes.NameOf(type)}, which this endpoint cannot read from JSON.");
        var set = Setter(type, buffer);
        var n = 0L;
        Flatten(data, e =>
        {
            if (n < count && !set(n, e))
            {
                throw new InferenceRequestException(
                    $"Input '{name}' holds {Describe(e)} at position {n}, which is not a valid {OnnxDatatypes.NameOf(type)} value{Hint(type)}.");
            }

            n++;
        });
        if (n != count)
        {
            throw new InferenceRequestException($"Input '{name}' has {n} values but its shape [{TensorShapes.Text(shape)}] needs {count}.");
        }

        return buffer;
    }

    public static void Write(Utf8JsonWriter json, Array data)
    {
        switch (OrtTensors.ElementTypeOf(data))
        {
            case TensorElementType.Float: foreach (var v in (float[])data) { WriteFloat(json, v); } break;
            case TensorElementType.Double: foreach (var v in (double[])data) { if (double.IsFinite(v)) { json.WriteNumberValue(v); } else { json.WriteNullValue(); } } break;
            case TensorElementType.Float16: foreach (var v in (Float16[])data) { WriteFloat(json, (float)v); } break;
            case TensorElementType.BFloat16: foreach (var v in (BFloat16[])data) { WriteFloat(json, (float)v); } break;
            case TensorElementType.Int8: foreach (var v in (sbyte[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.Int16: foreach (var v in (short[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.Int32: foreach (var v in (int[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.Int64: foreach (var v in (long[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.UInt8: foreach (var v in (byte[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.UInt16: foreach (var v in (ushort[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.UInt32: foreach (var v in (uint[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.UInt64: foreach (var v in (ulong[])data) { json.WriteNumberValue(v); } break;
            case TensorElementType.Bool: foreach (var v in (bool[])data) { json.WriteBooleanValue(v); } break;
            default: foreach (var v in (string[])data) { json.WriteStringValue(v); } break;
        }
    }

    private static void WriteFloat(Utf8JsonWriter json, float v)
    {
        if (float.IsFinite(v))
        {
            json.WriteNumberValue(v);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    /// <summary>Stores element <c>i</c> from JSON; false when the JSON value does not fit the type.</summary>
    private static Func<long, JsonElement, bool> Setter(TensorElementType type, Array buffer) => type switch
    {
        TensorElementType.Float => (i, e) => Number(e, out var v) && float.IsFinite((float)v) && Store((float[])buffer, i, (float)v),
        TensorElementType.Double => (i, e) => Number(e, out var v) && Store((double[])buffer, i, v),
        TensorElementType.Float16 => (i, e) => Number(e, out var v) && Math.Abs(v) <= MaxFloat16 && Store((Float16[])buffer, i, (Float16)(float)v),
        TensorElementType.BFloat16 => (i, e) => Number(e, out var v) && float.IsFinite((float)v) && Store((BFloat16[])buffer, i, (BFloat16)(float)v),
        TensorElementType.Int8 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetSByte(out var v) && Store((sbyte[])buffer, i, v),
        TensorElementType.Int16 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt16(out var v) && Store((short[])buffer, i, v),
        TensorElementType.Int32 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && Store((int[])buffer, i, v),
        TensorElementType.Int64 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && Store((long[])buffer, i, v),
        TensorElementType.UInt8 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetByte(out var v) && Store((byte[])buffer, i, v),
        TensorElementType.UInt16 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetUInt16(out var v) && Store((ushort[])buffer, i, v),
        TensorElementType.UInt32 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out var v) && Store((uint[])buffer, i, v),
        TensorElementType.UInt64 => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var v) && Store((ulong[])buffer, i, v),
        TensorElementType.Bool => (i, e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False && Store((bool[])buffer, i, e.ValueKind == JsonValueKind.True),
        TensorElementType.String => (i, e) => e.ValueKind == JsonValueKind.String && Store((string[])buffer, i, e.GetString()!),
        _ => throw new InferenceRequestException($"{OnnxDatatypes.NameOf(type)} cannot be read from JSON."),
    };

    private static bool Number(JsonElement e, out double value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static bool Store<T>(T[] array, long i, T value)
    {
        array[i] = value;
        return true;
    }

    private static string Hint(TensorElementType type) => type switch
    {
        TensorElementType.Bool => " (true or false)",
        TensorElementType.String => " (BYTES are given as JSON strings)",
        TensorElementType.Float16 => $" (a number within ±{MaxFloat16})",
        _ => "",
    };

    private static void Flatten(JsonElement element, Action<JsonElement> take)
    {
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Flatten(item, take);
            }
            else
            {
                take(item);
            }
        }
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Truncate(e.GetString()!)}\"",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => Truncate(e.GetRawText()),
    };

    private static string Truncate(string text) => text.Length > 20 ? text[..20] + "…" : text;
}

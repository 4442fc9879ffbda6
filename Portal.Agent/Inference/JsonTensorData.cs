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
        switch (data)
        {
            case float[] a: foreach (var v in a) { WriteFloat(json, v); } break;
            case double[] a: foreach (var v in a) { if (double.IsFinite(v)) { json.WriteNumberValue(v); } else { json.WriteNullValue(); } } break;
            case Float16[] a: foreach (var v in a) { WriteFloat(json, (float)v); } break;
            case BFloat16[] a: foreach (var v in a) { WriteFloat(json, (float)v); } break;
            case sbyte[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case short[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case int[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case long[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case byte[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case ushort[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case uint[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case ulong[] a: foreach (var v in a) { json.WriteNumberValue(v); } break;
            case bool[] a: foreach (var v in a) { json.WriteBooleanValue(v); } break;
            case string[] a: foreach (var v in a) { json.WriteStringValue(v); } break;
            default: throw new ArgumentException($"{data.GetType().Name} is not an array of a tensor element type.", nameof(data));
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
    private static Func<long, JsonElement, bool> Setter(TensorElementType type, Array buffer) => buffer switch
    {
        float[] a => (i, e) => Number(e, out var v) && float.IsFinite((float)v) && Store(a, i, (float)v),
        double[] a => (i, e) => Number(e, out var v) && Store(a, i, v),
        Float16[] a => (i, e) => Number(e, out var v) && Math.Abs(v) <= MaxFloat16 && Store(a, i, (Float16)(float)v),
        BFloat16[] a => (i, e) => Number(e, out var v) && float.IsFinite((float)v) && Store(a, i, (BFloat16)(float)v),
        sbyte[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetSByte(out var v) && Store(a, i, v),
        short[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt16(out var v) && Store(a, i, v),
        int[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && Store(a, i, v),
        long[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && Store(a, i, v),
        byte[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetByte(out var v) && Store(a, i, v),
        ushort[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetUInt16(out var v) && Store(a, i, v),
        uint[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out var v) && Store(a, i, v),
        ulong[] a => (i, e) => e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var v) && Store(a, i, v),
        bool[] a => (i, e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False && Store(a, i, e.ValueKind == JsonValueKind.True),
        string[] a => (i, e) => e.ValueKind == JsonValueKind.String && Store(a, i, e.GetString()!),
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

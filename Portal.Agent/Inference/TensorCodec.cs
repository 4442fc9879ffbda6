using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>
/// Open Inference Protocol v2 tensors in JSON, both ways: <c>{"inputs":[{"name","shape","datatype","data"}]}</c> into
/// ONNX Runtime values checked against the model's signature (each mistake named), and outputs back into JSON.
/// </summary>
public static class TensorCodec
{
    public const int MaxElements = 16 * 1024 * 1024;

    public static TensorSet ReadInputs(JsonElement request, IReadOnlyList<TensorSignature> inputs)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("inputs", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException("The body must be a JSON object with an \"inputs\" array: {\"inputs\":[{\"name\",\"shape\",\"datatype\",\"data\"}]}.");
        }

        var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
            if (name is null)
            {
                throw new InferenceRequestException("Every input needs a \"name\".");
            }

            if (inputs.All(i => i.Name != name))
            {
                throw new InferenceRequestException($"The model has no input '{name}'; its inputs are: {string.Join(", ", inputs.Select(i => i.Name))}.");
            }

            if (!given.TryAdd(name, item))
            {
                throw new InferenceRequestException($"Input '{name}' is given twice.");
            }
        }

        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs)
            {
                if (!given.TryGetValue(input.Name, out var item))
                {
                    throw new InferenceRequestException($"Input '{input.Name}' ({input.Datatype}, shape [{input.ShapeText()}]) is missing.");
                }

                values.Add(ReadTensor(item, input));
            }
        }
        catch
        {
            values.ForEach(v => v.Dispose());
            throw;
        }

        return new TensorSet(inputs.Select(i => i.Name).ToList(), values);
    }

    private static OrtValue ReadTensor(JsonElement item, TensorSignature input)
    {
        var name = input.Name;
        if (!item.TryGetProperty("datatype", out var datatype) || datatype.ValueKind != JsonValueKind.String)
        {
            throw new InferenceRequestException($"Input '{name}' needs a \"datatype\" ({input.Datatype}).");
        }

        if (datatype.GetString() != input.Datatype)
        {
            throw new InferenceRequestException($"Input '{name}' is {input.Datatype}, not {datatype.GetString()}.");
        }

        if (!OnnxDatatypes.Supported.Contains(input.Datatype))
        {
            throw new InferenceRequestException($"Input '{name}' is {input.Datatype}, which this endpoint cannot read from JSON.");
        }

        var shape = ReadShape(item, input);
        if (input.Shape.Count != shape.Length || input.Shape.Where((d, i) => d >= 0 && d != shape[i]).Any())
        {
            throw new InferenceRequestException($"Input '{name}' has shape [{string.Join(", ", shape)}] but the model expects [{input.ShapeText()}].");
        }

        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (count > MaxElements)
        {
            throw new InferenceRequestException($"Input '{name}' has {count} elements; at most {MaxElements} are accepted.");
        }

        if (!item.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException($"Input '{name}' needs \"data\": an array of {count} values (flat or nested).");
        }

        var type = OnnxDatatypes.TypeOf(input.Datatype)!.Value;
        return type switch
        {
            TensorElementType.Float => Create<float>(name, data, shape, count, e => e.TryGetSingle(out var v) ? v : null),
            TensorElementType.Double => Create<double>(name, data, shape, count, e => e.TryGetDouble(out var v) ? v : null),
            TensorElementType.Int8 => Create<sbyte>(name, data, shape, count, e => e.TryGetSByte(out var v) ? v : null),
            TensorElementType.Int16 => Create<short>(name, data, shape, count, e => e.TryGetInt16(out var v) ? v : null),
            TensorElementType.Int32 => Create<int>(name, data, shape, count, e => e.TryGetInt32(out var v) ? v : null),
            TensorElementType.Int64 => Create<long>(name, data, shape, count, e => e.TryGetInt64(out var v) ? v : null),
            TensorElementType.UInt8 => Create<byte>(name, data, shape, count, e => e.TryGetByte(out var v) ? v : null),
            TensorElementType.UInt16 => Create<ushort>(name, data, shape, count, e => e.TryGetUInt16(out var v) ? v : null),
            TensorElementType.UInt32 => Create<uint>(name, data, shape, count, e => e.TryGetUInt32(out var v) ? v : null),
            TensorElementType.UInt64 => Create<ulong>(name, data, shape, count, e => e.TryGetUInt64(out var v) ? v : null),
            TensorElementType.Bool => CreateBool(name, data, shape, count),
            _ => throw new InferenceRequestException($"Input '{name}' is {input.Datatype}, which this endpoint cannot read from JSON."),
        };
    }

    private static long[] ReadShape(JsonElement item, TensorSignature input)
    {
        if (!item.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException($"Input '{input.Name}' needs a \"shape\" such as [{string.Join(", ", input.Shape.Select(d => d < 0 ? 1 : d))}].");
        }

        var dims = new long[shape.GetArrayLength()];
        var i = 0;
        foreach (var dim in shape.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var d) || d < 0)
            {
                throw new InferenceRequestException($"The shape of input '{input.Name}' must be a list of non-negative whole numbers.");
            }

            dims[i++] = d;
        }

        return dims;
    }

    private static OrtValue Create<T>(string name, JsonElement data, long[] shape, long count, Func<JsonElement, T?> read)
        where T : unmanaged
    {
        var buffer = new T[count];
        var n = 0L;
        Flatten(data, e =>
        {
            if (n >= count)
            {
                n++;
                return;
            }

            buffer[n] = (e.ValueKind == JsonValueKind.Number ? read(e) : null)
                ?? throw new InferenceRequestException($"Input '{name}' holds {Describe(e)} at position {n}, which is not a valid {typeof(T).Name} value.");
            n++;
        });
        CheckCount(name, n, count, shape);
        return OrtValue.CreateTensorValueFromMemory(buffer, shape);
    }

    private static OrtValue CreateBool(string name, JsonElement data, long[] shape, long count)
    {
        var buffer = new bool[count];
        var n = 0L;
        Flatten(data, e =>
        {
            if (n < count)
            {
                buffer[n] = e.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new InferenceRequestException($"Input '{name}' holds {Describe(e)} at position {n}, which is not true or false."),
                };
            }

            n++;
        });
        CheckCount(name, n, count, shape);
        return OrtValue.CreateTensorValueFromMemory(buffer, shape);
    }

    private static void CheckCount(string name, long n, long count, long[] shape)
    {
        if (n != count)
        {
            throw new InferenceRequestException($"Input '{name}' has {n} values but its shape [{string.Join(", ", shape)}] needs {count}.");
        }
    }

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
        _ => e.GetRawText(),
    };

    private static string Truncate(string text) => text.Length > 20 ? text[..20] + "…" : text;

    /// <summary>Writes <c>{"model_name","model_version","id","outputs":[...]}</c>. Non-finite floats become null (JSON has no NaN).</summary>
    public static void WriteResponse(Utf8JsonWriter json, string model, string version, string? id, TensorSet outputs)
    {
        json.WriteStartObject();
        json.WriteString("model_name", model);
        json.WriteString("model_version", version);
        if (id is not null)
        {
            json.WriteString("id", id);
        }

        json.WriteStartArray("outputs");
        for (var i = 0; i < outputs.Names.Count; i++)
        {
            WriteTensor(json, outputs.Names[i], outputs.Values[i]);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteTensor(Utf8JsonWriter json, string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("datatype", OnnxDatatypes.NameOf(info.ElementDataType));
        json.WriteStartArray("shape");
        foreach (var d in info.Shape)
        {
            json.WriteNumberValue(d);
        }

        json.WriteEndArray();
        json.WriteStartArray("data");
        switch (info.ElementDataType)
        {
            case TensorElementType.Float:
                foreach (var v in value.GetTensorDataAsSpan<float>())
                {
                    if (float.IsFinite(v)) { json.WriteNumberValue(v); } else { json.WriteNullValue(); }
                }

                break;
            case TensorElementType.Double:
                foreach (var v in value.GetTensorDataAsSpan<double>())
                {
                    if (double.IsFinite(v)) { json.WriteNumberValue(v); } else { json.WriteNullValue(); }
                }

                break;
            case TensorElementType.Int8: Write(json, value.GetTensorDataAsSpan<sbyte>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.Int16: Write(json, value.GetTensorDataAsSpan<short>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.Int32: Write(json, value.GetTensorDataAsSpan<int>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.Int64: Write(json, value.GetTensorDataAsSpan<long>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.UInt8: Write(json, value.GetTensorDataAsSpan<byte>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.UInt16: Write(json, value.GetTensorDataAsSpan<ushort>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.UInt32: Write(json, value.GetTensorDataAsSpan<uint>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.UInt64: Write(json, value.GetTensorDataAsSpan<ulong>(), (j, v) => j.WriteNumberValue(v)); break;
            case TensorElementType.Bool: Write(json, value.GetTensorDataAsSpan<bool>(), (j, v) => j.WriteBooleanValue(v)); break;
            case TensorElementType.String:
                foreach (var s in value.GetStringTensorAsArray())
                {
                    json.WriteStringValue(s);
                }

                break;
            default:
                throw new InferenceRequestException($"Output '{name}' is {OnnxDatatypes.NameOf(info.ElementDataType)}, which this endpoint cannot write as JSON.");
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Write<T>(Utf8JsonWriter json, ReadOnlySpan<T> values, Action<Utf8JsonWriter, T> write)
    {
        foreach (var v in values)
        {
            write(json, v);
        }
    }
}

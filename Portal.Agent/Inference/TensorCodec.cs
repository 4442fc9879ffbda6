using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>
/// Open Inference Protocol v2 requests and responses in JSON: <c>{"id","parameters","inputs":[{"name","shape",
/// "datatype","parameters","data"}],"outputs":[{"name"}]}</c> into ONNX Runtime values checked against the model's
/// signature (each mistake named), and outputs back into JSON.
/// </summary>
public static class TensorCodec
{
    public const int MaxElements = 16 * 1024 * 1024;

    public static TensorSet ReadInputs(JsonElement request, IReadOnlyList<TensorSignature> inputs)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceRequestException("The body must be a JSON object with an \"inputs\" array: {\"inputs\":[{\"name\",\"shape\",\"datatype\",\"data\"}]}.");
        }

        if (!request.TryGetProperty("inputs", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            // A model that takes no inputs (it only produces constants) may be asked with {} as well as {"inputs":[]}.
            if (inputs.Count == 0 && (list.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null))
            {
                return new TensorSet([], []);
            }

            throw new InferenceRequestException("The body must be a JSON object with an \"inputs\" array: {\"inputs\":[{\"name\",\"shape\",\"datatype\",\"data\"}]}.");
        }

        var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            var name = NameOf(item) ?? throw new InferenceRequestException("Every input needs a \"name\".");
            if (inputs.All(i => i.Name != name))
            {
                throw new InferenceRequestException(inputs.Count == 0
                    ? $"The model takes no inputs, but '{name}' was given."
                    : $"The model has no input '{name}'; its inputs are: {string.Join(", ", inputs.Select(i => i.Name))}.");
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

    /// <summary>The request's <c>id</c>, echoed in the response; null when it has none.</summary>
    public static string? ReadId(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("id", out var id) || id.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return id.ValueKind == JsonValueKind.String ? id.GetString() : throw new InferenceRequestException("The request's \"id\" must be a string.");
    }

    /// <summary>The outputs the request asks for by name, in its order; null (all of them) when it names none.</summary>
    public static IReadOnlyList<string>? ReadOutputNames(JsonElement request, IReadOnlyList<TensorSignature> outputs)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("outputs", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException($"\"outputs\" must be an array such as [{{\"name\": \"{(outputs.Count > 0 ? outputs[0].Name : "")}\"}}].");
        }

        var names = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            var name = NameOf(item) ?? throw new InferenceRequestException("Every requested output needs a \"name\".");
            if (outputs.All(o => o.Name != name))
            {
                throw new InferenceRequestException($"The model has no output '{name}'; its outputs are: {string.Join(", ", outputs.Select(o => o.Name))}.");
            }

            if (names.Contains(name))
            {
                throw new InferenceRequestException($"Output '{name}' is asked for twice.");
            }

            names.Add(name);
        }

        return names.Count == 0 ? null : names;
    }

    private static string? NameOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;

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

        if (!OnnxDatatypes.Supported.Contains(input.Datatype) || OnnxDatatypes.TypeOf(input.Datatype) is not { } type)
        {
            throw new InferenceRequestException($"Input '{name}' is {input.Datatype}, which this endpoint cannot read from JSON.");
        }

        var shape = ReadShape(item, input);
        if (input.Shape.Count != shape.Length || input.Shape.Where((d, i) => d >= 0 && d != shape[i]).Any())
        {
            throw new InferenceRequestException($"Input '{name}' has shape [{TensorShapes.Text(shape)}] but the model expects [{input.ShapeText()}].");
        }

        if (!TensorShapes.TryCount(shape, out var count) || count > MaxElements)
        {
            throw new InferenceRequestException($"Input '{name}' has shape [{TensorShapes.Text(shape)}], more than the {MaxElements} elements accepted.");
        }

        if (!item.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException($"Input '{name}' needs \"data\": an array of {count} values (flat or nested).");
        }

        return OrtTensors.Create(JsonTensorData.Read(name, type, data, count, shape), shape);
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

    /// <summary>Writes <c>{"model_name","model_version","id","outputs":[...]}</c>.</summary>
    public static void WriteResponse(Utf8JsonWriter json, string model, string version, string? id, IReadOnlyList<OutputTensor> outputs)
    {
        json.WriteStartObject();
        json.WriteString("model_name", model);
        json.WriteString("model_version", version);
        if (id is not null)
        {
            json.WriteString("id", id);
        }

        json.WriteStartArray("outputs");
        foreach (var output in outputs)
        {
            WriteTensor(json, output);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteTensor(Utf8JsonWriter json, OutputTensor output)
    {
        json.WriteStartObject();
        json.WriteString("name", output.Name);
        json.WriteString("datatype", output.Datatype);
        json.WriteStartArray("shape");
        foreach (var d in output.Shape)
        {
            json.WriteNumberValue(d);
        }

        json.WriteEndArray();
        json.WriteStartArray("data");
        JsonTensorData.Write(json, output.Data);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>Random inputs of a model's declared shapes (a dimension fixed only at run time counts as 1), for profiling.</summary>
public static class SyntheticInputs
{
    public static TensorSet Create(ModelSignature signature, Random random)
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var input in signature.Inputs)
            {
                var shape = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
                if (!TensorShapes.TryCount(shape, out var count) || count > TensorCodec.MaxElements
                    || OnnxDatatypes.TypeOf(input.Datatype) is not { } type || OrtTensors.Allocate(type, count) is not { } data)
                {
                    throw new InferenceRequestException($"Input '{input.Name}' is {input.Datatype} [{input.ShapeText()}]: profiling cannot make synthetic values of that.");
                }

                Fill(data, random);
                values.Add(OrtTensors.Create(data, shape));
            }
        }
        catch
        {
            values.ForEach(v => v.Dispose());
            throw;
        }

        return new TensorSet(signature.Inputs.Select(i => i.Name).ToList(), values);
    }

    private static void Fill(Array data, Random random)
    {
        for (var i = 0; i < data.Length; i++)
        {
            var small = random.Next(0, 10);
            object value = OrtTensors.ElementTypeOf(data) switch
            {
                TensorElementType.Float => (float)random.NextDouble(),
                TensorElementType.Double => random.NextDouble(),
                TensorElementType.Float16 => (Float16)(float)random.NextDouble(),
                TensorElementType.BFloat16 => (BFloat16)(float)random.NextDouble(),
                TensorElementType.Int8 => (sbyte)small,
                TensorElementType.Int16 => (short)small,
                TensorElementType.Int32 => small,
                TensorElementType.Int64 => (long)small,
                TensorElementType.UInt8 => (byte)random.Next(0, 256),
                TensorElementType.UInt16 => (ushort)small,
                TensorElementType.UInt32 => (uint)small,
                TensorElementType.UInt64 => (ulong)small,
                TensorElementType.Bool => small % 2 == 1,
                _ => small.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            data.SetValue(value, i);
        }
    }
}

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
        foreach (var input in signature.Inputs)
        {
            var shape = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
            var count = shape.Aggregate(1L, (a, d) => a * d);
            values.Add(OnnxDatatypes.TypeOf(input.Datatype) switch
            {
                TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (float)random.NextDouble()), shape),
                TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Fill(count, random.NextDouble), shape),
                TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (long)random.Next(0, 10)), shape),
                TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => random.Next(0, 10)), shape),
                TensorElementType.UInt8 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (byte)random.Next(0, 256)), shape),
                TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(Fill(count, () => random.Next(2) == 1), shape),
                _ => throw new InferenceRequestException($"Input '{input.Name}' is {input.Datatype}: profiling cannot make synthetic values of that type."),
            });
        }

        return new TensorSet(signature.Inputs.Select(i => i.Name).ToList(), values);
    }

    private static T[] Fill<T>(long count, Func<T> next)
    {
        var data = new T[count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = next();
        }

        return data;
    }
}

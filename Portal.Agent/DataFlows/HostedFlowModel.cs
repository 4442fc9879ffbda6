using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Inference;
using Portal.Shared.DataFlows;

namespace Portal.Agent.DataFlows;

/// <summary>
/// A flow's model step on the models this agent serves (<see cref="ModelHost"/>): each input is shaped as the model's
/// own (<see cref="FlowTensorShape"/>) in its element type (FP32 or FP64), the model runs in-process as the local
/// inference endpoint runs it, and every output is read back as numbers.
/// </summary>
public sealed class HostedFlowModel(ModelHost host) : IFlowModel
{
    public Task<IReadOnlyDictionary<string, double[]>> RunAsync(string model, IReadOnlyDictionary<string, double[]> inputs, CancellationToken ct)
    {
        var served = host.Find(model) ?? throw new FlowModelException($"The model '{model}' is not served on this device: deploy it to the device, or check the name.");
        using var lease = served.Acquire() ?? throw new FlowModelException($"The model '{model}' is being unloaded.");
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, data) in inputs)
            {
                var signature = served.Signature.Inputs.FirstOrDefault(i => i.Name == name)
                    ?? throw new FlowModelException($"The model '{model}' has no input '{name}'.");
                var shape = FlowTensorShape.Resolve(signature.Shape, data.Length, out var why)
                    ?? throw new FlowModelException($"The input '{name}' of '{model}' is {signature.ShapeText()}: {why}.");
                Array typed = signature.Datatype switch
                {
                    "FP32" => data.Select(d => (float)d).ToArray(),
                    "FP64" => data,
                    _ => throw new FlowModelException($"The input '{name}' of '{model}' is {signature.Datatype}; a flow fills FP32 and FP64 inputs."),
                };
                names.Add(name);
                values.Add(OrtTensors.Create(typed, shape));
            }

            using var set = new TensorSet(names, values);
            values = [];
            IReadOnlyList<OutputTensor> outputs;
            try
            {
                outputs = served.Run(set);
            }
            catch (OnnxRuntimeException e)
            {
                throw new FlowModelException($"{model} did not run: {e.Message}");
            }

            IReadOnlyDictionary<string, double[]> result = outputs.ToDictionary(o => o.Name, o => Numbers(o.Data), StringComparer.Ordinal);
            return Task.FromResult(result);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private static double[] Numbers(Array data)
    {
        var numbers = new double[data.Length];
        var i = 0;
        foreach (var item in data)
        {
            numbers[i++] = item switch
            {
                bool b => b ? 1 : 0,
                IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
                _ => double.NaN,
            };
        }

        return numbers;
    }
}

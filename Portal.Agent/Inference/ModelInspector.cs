using Microsoft.ML.OnnxRuntime;
using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>Describes a loaded model: its tensors from the session, its opsets and producer from the file itself.</summary>
public static class ModelInspector
{
    public static ModelSignature Inspect(InferenceSession session, string path)
    {
        var file = OnnxModelFile.Read(path);
        var meta = session.ModelMetadata;
        return new ModelSignature(
            session.InputNames.Select(n => Describe(n, session.InputMetadata[n])).ToList(),
            session.OutputNames.Select(n => Describe(n, session.OutputMetadata[n])).ToList(),
            file.Opsets,
            file.IrVersion,
            file.Producer.Length > 0 ? file.Producer : meta.ProducerName ?? "",
            file.ProducerVersion,
            meta.GraphName ?? "",
            string.IsNullOrEmpty(meta.Description) ? meta.GraphDescription ?? "" : meta.Description,
            new SortedDictionary<string, string>(meta.CustomMetadataMap, StringComparer.Ordinal));
    }

    public static TensorSignature Describe(string name, NodeMetadata node)
    {
        if (!node.IsTensor)
        {
            return new TensorSignature(name, node.OnnxValueType.ToString().Replace("ONNX_TYPE_", "", StringComparison.Ordinal), [], []);
        }

        var symbols = node.SymbolicDimensions ?? [];
        return new TensorSignature(
            name,
            OnnxDatatypes.NameOf(node.ElementDataType),
            node.Dimensions.Select(d => (long)d).ToList(),
            node.Dimensions.Select((_, i) => i < symbols.Length ? symbols[i] ?? "" : "").ToList());
    }
}

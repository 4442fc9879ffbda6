namespace Portal.Shared.Models;

/// <summary>What loading a model in ONNX Runtime tells about it: its tensors, the operator sets it imports and its metadata.</summary>
public sealed record ModelSignature(
    IReadOnlyList<TensorSignature> Inputs,
    IReadOnlyList<TensorSignature> Outputs,
    IReadOnlyDictionary<string, long> Opsets,
    long IrVersion,
    string Producer,
    string ProducerVersion,
    string GraphName,
    string Description,
    IReadOnlyDictionary<string, string> Metadata);

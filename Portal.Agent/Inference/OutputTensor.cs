namespace Portal.Agent.Inference;

/// <summary>
/// One output of a run, copied out of ONNX Runtime into managed memory: nothing in it points at native memory, so it
/// stays valid after the run's values are freed. <paramref name="Data"/> is a flat array of the element type
/// (<c>float[]</c>, <c>Float16[]</c>, <c>string[]</c>, ...), row-major.
/// </summary>
public sealed record OutputTensor(string Name, string Datatype, IReadOnlyList<long> Shape, Array Data);

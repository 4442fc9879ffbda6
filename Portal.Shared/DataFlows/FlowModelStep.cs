namespace Portal.Shared.DataFlows;

/// <summary>
/// A model served on the same device (deployed there by name) in the flow. Each input tensor is filled with the listed
/// values in their order (a window contributes all its samples), shaped as the model's input with its batch dimension 1;
/// each output names one element of an output tensor. The model runs each time <see cref="Trigger"/> (by default the
/// first input's first value) gets a new value and every input is good.
/// </summary>
public sealed record FlowModelStep(string Model, IReadOnlyList<FlowModelInput> Inputs, IReadOnlyList<FlowModelOutput> Outputs, string? Trigger = null);

/// <summary>Which values, in which order, fill the input tensor <see cref="Tensor"/>.</summary>
public sealed record FlowModelInput(string Tensor, IReadOnlyList<string> Values);

/// <summary>Element <see cref="Index"/> (row-major) of output tensor <see cref="Tensor"/> becomes the value <see cref="Name"/>.</summary>
public sealed record FlowModelOutput(string Tensor, string Name, int Index = 0, string? Unit = null);

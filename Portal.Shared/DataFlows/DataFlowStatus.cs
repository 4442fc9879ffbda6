namespace Portal.Shared.DataFlows;

/// <summary>How a flow runs on a device: one entry per step (each source, the model, each sink), counted since <see cref="Since"/>.</summary>
public sealed record DataFlowStatus(string Flow, DateTimeOffset Since, IReadOnlyList<FlowStepStatus> Steps);

/// <summary>
/// One step's counts: values it handled, errors (a failed read, a Bad input, a failed publish or write) and the last
/// error with its time; rates are counts between two reports.
/// </summary>
public sealed record FlowStepStatus(string Step, long Count, long Errors, double? LastValue, DateTimeOffset? LastAt, string? LastError, DateTimeOffset? LastErrorAt);

namespace Portal.Shared.DataFlows;

/// <summary>How a flow runs on a device: one entry per step (each source, the model, each sink), counted since <see cref="Since"/>.</summary>
public sealed record DataFlowStatus(string Flow, DateTimeOffset Since, IReadOnlyList<FlowStepStatus> Steps);

/// <summary>
/// One step's counts: values it handled, errors (a failed read, a Bad input, a failed publish or write) and the last
/// error with its time; rates are counts between two reports.
/// </summary>
public sealed record FlowStepStatus(string Step, long Count, long Errors, double? LastValue, DateTimeOffset? LastAt, string? LastError, DateTimeOffset? LastErrorAt)
{
    /// <summary>A last error longer than this is cut (the portal refuses longer ones).</summary>
    public const int MaxErrorLength = 500;

    /// <summary>The most steps one flow's status may carry.</summary>
    public const int MaxSteps = 600;
}

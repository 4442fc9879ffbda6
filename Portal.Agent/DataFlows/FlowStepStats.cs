using Portal.Shared.DataFlows;

namespace Portal.Agent.DataFlows;

/// <summary>Counts for one step of a running flow. Updated from the step's own task, read by status reports: locked.</summary>
public sealed class FlowStepStats(string step)
{
    private readonly Lock gate = new();
    private long count;
    private long errors;
    private double? lastValue;
    private DateTimeOffset? lastAt;
    private string? lastError;
    private DateTimeOffset? lastErrorAt;

    public string Step => step;

    public void Ok(double? value, DateTimeOffset at)
    {
        lock (gate)
        {
            count++;
            (lastValue, lastAt) = (value ?? lastValue, at);
        }
    }

    public void Failed(string error, DateTimeOffset at)
    {
        lock (gate)
        {
            errors++;
            (lastError, lastErrorAt) = (error.Length > FlowStepStatus.MaxErrorLength ? error[..FlowStepStatus.MaxErrorLength] + "…" : error, at);
        }
    }

    public FlowStepStatus Snapshot()
    {
        lock (gate)
        {
            return new FlowStepStatus(step, count, errors, lastValue, lastAt, lastError, lastErrorAt);
        }
    }
}

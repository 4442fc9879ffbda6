namespace Portal.Agent.DataFlows;

/// <summary>Runs a model served on this device for a flow's model step: inputs and outputs by tensor name, as numbers.</summary>
public interface IFlowModel
{
    Task<IReadOnlyDictionary<string, double[]>> RunAsync(string model, IReadOnlyDictionary<string, double[]> inputs, CancellationToken ct);
}

/// <summary>Where a flow's Portal sink puts values: the agent's durable outbox towards the portal's device data.</summary>
public interface IFlowDataSink
{
    ValueTask AddAsync(string flow, string series, double value, string? unit, DateTimeOffset time, CancellationToken ct);
}

/// <summary>A model step that cannot run (the model is not loaded here, an input does not fit): the step's error, the flow goes on.</summary>
public sealed class FlowModelException(string message) : Exception(message);

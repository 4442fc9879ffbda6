using Portal.Shared.DataFlows;

namespace Portal.Shared.Workloads;

/// <summary>
/// A data flow as one device runs it: the flow with its <c>${secret:}</c> references already resolved for the device
/// (the portal protects them on the wire as for containers), named <see cref="Name"/> on the device.
/// <see cref="SpecHash"/> changes whenever anything the flow does changes, and the agent restarts the flow then.
/// </summary>
public sealed record DataFlowWorkloadSpec(string Name, string DeploymentId, string SpecHash, DataFlowSpec Flow);

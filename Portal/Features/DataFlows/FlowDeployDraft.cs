using Portal.Features.Deployments;
using Portal.Shared.DataFlows;
using Portal.Shared.Deployments;

namespace Portal.Features.DataFlows;

/// <summary>A data flow version's part of the deploy dialog: nothing to choose, only what devices will do.</summary>
public sealed class FlowDeployDraft(DataFlowDto flow, DataFlowVersionDto version) : DeployDraft
{
    public DataFlowDto Flow { get; } = flow;

    public DataFlowVersionDto Version { get; } = version;

    public override Type Fields => typeof(FlowDeployFields);

    public override string SuggestedName => $"{Flow.Name} v{Version.Version}";

    public override CreateDeploymentRequest ApplyTo(CreateDeploymentRequest request) => request with
    {
        DataFlowId = Flow.Id,
        DataFlowVersion = Version.Version,
    };
}

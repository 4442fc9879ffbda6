using Portal.Data;
using Portal.Shared.Marketplace;

namespace Portal.Features.Deployments;

/// <summary>
/// What a create request deploys, resolved once by its <see cref="IWorkloadSource"/>: the source's id and name, the
/// version, the kind's spec (an app version with its stored parameter values, or a model file), the name a deployment
/// gets when the request gives none, and what it deploys in words for the deployment's first event and (longer) for
/// the audit entry.
/// </summary>
public sealed record WorkloadChoice(
    string SourceId,
    string SourceName,
    string Version,
    string DefaultName,
    string Summary,
    string Description,
    AppVersion? App = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    ModelDeploymentSpec? Model = null,
    DataFlowDeploymentSpec? Flow = null,
    AgentReleaseDeploymentSpec? AgentRelease = null);

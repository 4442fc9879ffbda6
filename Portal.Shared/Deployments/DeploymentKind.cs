using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

/// <summary>
/// What a deployment deploys: a version of a marketplace app (containers) or a version of a registered model (served by
/// the agent), or a version of a data flow. Later kinds go at the end.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<DeploymentKind>))]
public enum DeploymentKind
{
    App,
    Model,

    /// <summary>A version of a data flow (run by the agent: plant connectors, an optional model step, outputs).</summary>
    DataFlow,

    /// <summary>A release of the agent itself: each device downloads, verifies and switches to it, and rolls back by itself if it does not come back.</summary>
    AgentRelease,
}

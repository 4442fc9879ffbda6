using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;

namespace Portal.Data;

/// <summary>
/// A deployment of one workload source: an app version, a model version or a data flow version (<see cref="Kind"/>); <see cref="SourceId"/>
/// and <see cref="SourceName"/> name the app or the model. <see cref="Spec"/> is the version as it was when deployed (later edits of the app
/// do not change what runs); <see cref="Parameters"/> hold the operator's values, secrets included (never returned).
/// </summary>
public sealed class Deployment
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public required string Name { get; set; }

    public required string SourceId { get; set; }

    public required string SourceName { get; set; }

    public required string Version { get; set; }

    /// <summary>The app version deployed; null for a model deployment.</summary>
    public AppVersion? Spec { get; set; }

    /// <summary>The model version deployed; null for an app deployment.</summary>
    public ModelDeploymentSpec? Model { get; set; }

    /// <summary>The data flow version deployed; null for the other kinds.</summary>
    public DataFlowDeploymentSpec? Flow { get; set; }

    /// <summary>The agent release deployed; null for the other kinds.</summary>
    public AgentReleaseDeploymentSpec? AgentRelease { get; set; }

    public Dictionary<string, string> Parameters { get; set; } = [];

    public List<string> GroupIds { get; set; } = [];

    public List<string> DeviceIds { get; set; } = [];

    public RolloutStrategy Strategy { get; set; } = new();

    public DeploymentState State { get; set; }

    public string? StateReason { get; set; }

    /// <summary>Failures an operator accepted by resuming after the threshold paused it; the threshold counts only newer ones.</summary>
    public int FailuresAccepted { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Bumped on every change; a stale write (two instances stepping at once) fails instead of double-stepping.</summary>
    public long ConcurrencyStamp { get; set; }

    /// <summary>1 when created; each update in place adds one. Rows from before revisions existed read 0: the same as 1.</summary>
    public int Revision { get; set; } = 1;

    /// <summary>What the revision before this one deployed: devices not yet released to this revision run it, and a rollback returns to it.</summary>
    public DeploymentSnapshot? Previous { get; set; }

    public List<DeploymentTarget> Targets { get; set; } = [];

    /// <summary>What it deploys, from which spec it holds (not stored: the spec says it).</summary>
    public DeploymentKind Kind =>
        AgentRelease is not null ? DeploymentKind.AgentRelease : Flow is not null ? DeploymentKind.DataFlow : Model is null ? DeploymentKind.App : DeploymentKind.Model;
}

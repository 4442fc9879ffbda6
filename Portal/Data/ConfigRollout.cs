using Portal.Shared.Config;
using Portal.Shared.Deployments;

namespace Portal.Data;

/// <summary>
/// A config set's change rolling out with a strategy. <see cref="PreviousValues"/>/<see cref="PreviousFiles"/> are the
/// level's set before the change: a device of <see cref="Targets"/> not released yet is resolved with them, so it
/// keeps running what it ran; a rollback writes them back into the set. The targets are one JSON column: a level's
/// devices are listed and changed together, never queried one by one.
/// </summary>
public sealed class ConfigRollout
{
    public string Id { get; set; } = Guid.NewGuid().ToString("N");

    public ConfigLevel Level { get; set; }

    public string OwnerId { get; set; } = "";

    public string OwnerName { get; set; } = "";

    /// <summary>The audit diff of the change (keys and file names).</summary>
    public string Change { get; set; } = "";

    public RolloutStrategy Strategy { get; set; } = new();

    public DeploymentState State { get; set; } = DeploymentState.InProgress;

    public string? StateReason { get; set; }

    /// <summary>Failures an operator accepted by resuming; they no longer count against the threshold.</summary>
    public int FailuresAccepted { get; set; }

    public Dictionary<string, string> PreviousValues { get; set; } = [];

    public Dictionary<string, string> PreviousFiles { get; set; } = [];

    public List<ConfigRolloutTarget> Targets { get; set; } = [];

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long ConcurrencyStamp { get; set; }

    /// <summary>Devices not released yet keep the values before the change while the rollout is not finished.</summary>
    public bool Holds => State is DeploymentState.InProgress or DeploymentState.Paused or DeploymentState.Aborted;
}

/// <summary>
/// One device of a config rollout. <see cref="ExpectedRevision"/> is the device's desired-state revision that carries
/// the change (stamped once it was computed after the release); its report of that revision judges it.
/// </summary>
public sealed class ConfigRolloutTarget
{
    public string DeviceId { get; set; } = "";

    public DeviceRolloutState State { get; set; } = DeviceRolloutState.Waiting;

    public string? Reason { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }

    public long? ExpectedRevision { get; set; }

    /// <summary>The workload specs the device had when it was released (kind/name@hash): only the others are judged.</summary>
    public List<string>? Before { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

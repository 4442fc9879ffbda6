using Portal.Shared.Deployments;

namespace Portal.Data;

/// <summary>One device of a deployment and where it stands. A device is released when the rollout lets it have the workload.</summary>
public sealed class DeploymentTarget
{
    public required string DeploymentId { get; set; }

    public required string DeviceId { get; set; }

    public DeviceRolloutState State { get; set; }

    public string? Reason { get; set; }

    public int? ProgressPercent { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The deployment's revision this device was released to (or, while it waits for a newer one, still runs).</summary>
    public int Revision { get; set; } = 1;
}

using Portal.Shared.Deployments;

namespace Portal.Shared.Config;

/// <summary>
/// A config change rolling out to the devices of its level. <see cref="Change"/> is its audit diff (keys, shortened
/// values, file names; config sets hold no secrets). <see cref="State"/> is a deployment's: InProgress,
/// Paused, Aborted, Completed, CompletedWithFailures, Failed or RolledBack (the level's values put back).
/// </summary>
public sealed record ConfigRolloutDto(
    string Id,
    ConfigLevel Level,
    string? OwnerId,
    string OwnerName,
    string Change,
    RolloutStrategy Strategy,
    DeploymentState State,
    string? StateReason,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ConfigRolloutDeviceDto> Devices);

/// <summary>One device of a config rollout: Waiting (still on the values before the change), then as a deployment's.</summary>
public sealed record ConfigRolloutDeviceDto(string DeviceId, string DeviceName, DeviceRolloutState State, string? Reason, DateTimeOffset? ReleasedAt);

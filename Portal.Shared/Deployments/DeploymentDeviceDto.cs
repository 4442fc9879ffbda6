namespace Portal.Shared.Deployments;

public sealed record DeploymentDeviceDto(
    string DeviceId,
    string DeviceName,
    DeviceRolloutState State,
    string? Reason,
    int? ProgressPercent,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset UpdatedAt);

namespace Portal.Shared.Deployments;

/// <summary>
/// One device of a deployment. <see cref="Revision"/>: the deployment's revision it was released to (or still runs
/// while it waits for a newer one). <see cref="Runs"/>: what the device reports it runs now for this app or model, in
/// words ("1.2 · revision 2 of this deployment", "1.0 from deployment 'Camera v1'", "nothing"); null before any report.
/// </summary>
public sealed record DeploymentDeviceDto(
    string DeviceId,
    string DeviceName,
    DeviceRolloutState State,
    string? Reason,
    int? ProgressPercent,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset UpdatedAt,
    int Revision = 1,
    string? Runs = null);

namespace Portal.Shared.Deployments;

/// <summary>
/// How a deployment reaches its devices. Rolling releases <see cref="BatchSize"/> devices at a time and releases the
/// next batch once every released device is Running or Failed. Once at least <see cref="MinDevicesTried"/> devices
/// have been tried, more than <see cref="FailureThresholdPercent"/> of them failing triggers <see cref="OnFailure"/>.
/// A released device that does not report Running within <see cref="DeviceTimeoutSeconds"/> counts as Failed.
/// With <see cref="RespectMaintenanceWindows"/>, a device is released only while a maintenance window of one of its
/// groups is open (a device in no group with windows is released at any time).
/// </summary>
public sealed record RolloutStrategy(
    RolloutKind Kind = RolloutKind.AllAtOnce,
    int BatchSize = 1,
    double FailureThresholdPercent = 50,
    int MinDevicesTried = 1,
    FailureAction OnFailure = FailureAction.Pause,
    int DeviceTimeoutSeconds = 600,
    bool RespectMaintenanceWindows = false)
{
    /// <summary>What is wrong with these settings, as a sentence for the person who sent them; null when they are usable.</summary>
    public string? Problem() =>
        !Enum.IsDefined(Kind) ? "The strategy kind must be AllAtOnce or Rolling."
        : !Enum.IsDefined(OnFailure) ? "onFailure must be Pause or Rollback."
        : BatchSize is < 1 or > 100_000 ? "The batch size must be between 1 and 100000."
        : FailureThresholdPercent is < 0 or > 100 || double.IsNaN(FailureThresholdPercent) ? "The failure threshold is a percentage between 0 and 100."
        : MinDevicesTried is < 1 or > 100_000 ? "minDevicesTried must be between 1 and 100000."
        : DeviceTimeoutSeconds is < 5 or > 604_800 ? "The per-device timeout must be between 5 seconds and 7 days."
        : null;
}

namespace Portal.Shared.Deployments;

/// <summary>
/// How a deployment reaches its devices. Rolling releases <see cref="BatchSize"/> devices at a time and releases the
/// next batch once every released device is Running or Failed. Once at least <see cref="MinDevicesTried"/> devices
/// have been tried, more than <see cref="FailureThresholdPercent"/> of them failing triggers <see cref="OnFailure"/>.
/// A released device that does not report Running within <see cref="DeviceTimeoutSeconds"/> counts as Failed.
/// </summary>
public sealed record RolloutStrategy(
    RolloutKind Kind = RolloutKind.AllAtOnce,
    int BatchSize = 1,
    double FailureThresholdPercent = 50,
    int MinDevicesTried = 1,
    FailureAction OnFailure = FailureAction.Pause,
    int DeviceTimeoutSeconds = 600);

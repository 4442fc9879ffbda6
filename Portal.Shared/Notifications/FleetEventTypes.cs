namespace Portal.Shared.Notifications;

/// <summary>
/// The fleet events a channel can subscribe to (event webhooks for automation). Names are stable: receivers switch on
/// them (the <c>X-Portal-Event</c> header and the payload's <c>type</c>).
/// </summary>
public static class FleetEventTypes
{
    public const string DeploymentCreated = "deployment.created";
    public const string DeploymentCompleted = "deployment.completed";
    public const string DeploymentFailed = "deployment.failed";
    public const string DeploymentRolledBack = "deployment.rolledback";
    public const string DeviceEnrolled = "device.enrolled";
    public const string DeviceOffline = "device.offline";
    public const string DeviceDecommissioned = "device.decommissioned";
    public const string ModelVersionStaged = "model.version.staged";

    /// <summary>A test message sent from the channel's page or <c>POST …/test</c>.</summary>
    public const string Test = "test";

    /// <summary>An alert started or stopped firing (sent to the channels its rule names, not by subscription).</summary>
    public const string AlertFiring = "alert.firing";
    public const string AlertResolved = "alert.resolved";

    public static readonly IReadOnlyList<string> All =
    [
        DeploymentCreated, DeploymentCompleted, DeploymentFailed, DeploymentRolledBack,
        DeviceEnrolled, DeviceOffline, DeviceDecommissioned, ModelVersionStaged,
    ];
}

using Portal.Shared.Devices;

namespace Portal.Features.DeviceActions;

/// <summary>Pure: the limits and sentences of remote actions, shared by the service, the sweeper and the page.</summary>
public static class DeviceActionRules
{
    /// <summary>Agents from this version run remote actions; older ones would ignore the call.</summary>
    public static readonly Version MinimumAgent = new(0, 5, 0);

    public const int MaxDevices = 1000;

    /// <summary>The longest a queued action may wait for its device: a week.</summary>
    public const int MaxExpiresInMinutes = 7 * 24 * 60;

    /// <summary>How long a sent action may go unanswered before the portal calls it failed.</summary>
    public static TimeSpan AnswerWithin(DeviceActionKind kind) => kind switch
    {
        DeviceActionKind.RestartAgent => TimeSpan.FromMinutes(5),
        DeviceActionKind.RebootHost => TimeSpan.FromMinutes(30),
        DeviceActionKind.PrePull => TimeSpan.FromMinutes(60),
        _ => TimeSpan.FromMinutes(10),
    };

    public static bool IsFinished(DeviceActionState state) =>
        state is DeviceActionState.Succeeded or DeviceActionState.Failed or DeviceActionState.Expired or DeviceActionState.Rejected;

    /// <summary>Why a request on <paramref name="devices"/> devices waits for another admin (<c>Portal:Approvals:DeviceThreshold</c>); null when it does not.</summary>
    public static string? ApprovalNeeded(Portal.Configuration.ApprovalOptions options, int devices) =>
        options.OverDeviceThreshold(devices)
            ? $"Waits for another admin's approval: asked for on {devices} devices, more than {options.DeviceThreshold} (Portal:Approvals:DeviceThreshold)."
            : null;

    /// <summary>"Restart agent", for the audit log and the page.</summary>
    public static string Title(DeviceActionKind kind) => kind switch
    {
        DeviceActionKind.RestartAgent => "Restart agent",
        DeviceActionKind.RebootHost => "Reboot host",
        DeviceActionKind.PruneImages => "Prune unused images",
        DeviceActionKind.PrePull => "Pre-pull images",
        _ => kind.ToString(),
    };

    /// <summary>What exactly will happen, said before the operator confirms.</summary>
    public static string Consequence(DeviceActionKind kind) => kind switch
    {
        DeviceActionKind.RestartAgent => "The agent stops and its supervisor (systemd or portal-agent-launch) starts it again. Containers, stacks and models keep running; the device is offline for a few seconds.",
        DeviceActionKind.RebootHost => "The whole machine reboots: every container on it stops until the host is back. Devices whose agent settings do not allow reboots (Agent:Actions:AllowReboot, off by default) refuse.",
        DeviceActionKind.PruneImages => "Images that no container uses and no deployment on the device needs are deleted from its engine, freeing disk. Images of running or deployed workloads are kept.",
        DeviceActionKind.PrePull => "The deployment's images are downloaded now, so that when the rollout reaches the device (in its maintenance window) nothing waits on downloads. Nothing is started.",
        _ => "",
    };
}

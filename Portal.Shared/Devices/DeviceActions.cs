using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Devices;

/// <summary>What an operator can ask a device's agent to do, once, outside any deployment.</summary>
[JsonConverter(typeof(EnumNameConverter<DeviceActionKind>))]
public enum DeviceActionKind
{
    /// <summary>The agent stops and is started again by its supervisor (systemd or <c>portal-agent-launch</c>); workloads keep running.</summary>
    RestartAgent,

    /// <summary>The host reboots; only where the agent's own settings allow it (<c>Agent:Actions:AllowReboot</c>, off by default).</summary>
    RebootHost,

    /// <summary>Images no container uses and the desired state does not name are removed from the engine.</summary>
    PruneImages,

    /// <summary>A deployment's images are pulled ahead of its start, so a rollout in a maintenance window does not wait on downloads.</summary>
    PrePull,
}

/// <summary>
/// Where an action stands. AwaitingApproval: asked for on more devices than <c>Portal:Approvals:DeviceThreshold</c>, it
/// waits for another admin. Queued: waiting for an offline device to return (until it expires).
/// </summary>
[JsonConverter(typeof(EnumNameConverter<DeviceActionState>))]
public enum DeviceActionState
{
    AwaitingApproval,
    Rejected,
    Queued,
    Sent,
    Running,
    Succeeded,
    Failed,
    Expired,
}

/// <summary>
/// Asks for one action on devices. Offline devices fail at once unless <see cref="QueueUntilOnline"/>: then they get it
/// when they return, if that is within <see cref="ExpiresInMinutes"/>. <see cref="DeploymentId"/> names what
/// <see cref="DeviceActionKind.PrePull"/> pulls.
/// </summary>
public sealed record DeviceActionRequest(
    DeviceActionKind Kind,
    IReadOnlyList<string>? DeviceIds = null,
    string? DeploymentId = null,
    bool QueueUntilOnline = false,
    int ExpiresInMinutes = 60);

/// <summary>One device's action: what, where it stands, and what the device said. <see cref="BatchId"/> groups the rows of one request that waits for approval.</summary>
public sealed record DeviceActionDto(
    long Id,
    string DeviceId,
    string DeviceName,
    DeviceActionKind Kind,
    DeviceActionState State,
    string? DeploymentId,
    string? Message,
    string? BatchId,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? FinishedAt);

using Portal.Shared.Devices;

namespace Portal.Data;

/// <summary>One remote action on one device: asked for by an operator, sent when the device is online, answered by its agent.</summary>
public sealed class DeviceAction
{
    public long Id { get; set; }

    public required string DeviceId { get; set; }

    public DeviceActionKind Kind { get; set; }

    public DeviceActionState State { get; set; }

    /// <summary>The deployment whose images a <see cref="DeviceActionKind.PrePull"/> pulls (read when the action is sent).</summary>
    public string? DeploymentId { get; set; }

    /// <summary>The device's last word, or why the portal gave up.</summary>
    public string? Message { get; set; }

    public string RequestedBy { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>A queued action not sent by then expires; null for actions that were never queued.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The request this row belongs to, when it waits (or waited) for another admin's approval: approved or rejected together.</summary>
    public string? BatchId { get; set; }

    /// <summary>For a row awaiting approval that asked to be queued: how long it may wait for the device once approved.</summary>
    public int? QueueMinutes { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

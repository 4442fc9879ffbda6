using Portal.Shared.Devices;
using Portal.Shared.Workloads;

namespace Portal.Shared.Hubs;

/// <summary>An image to pull ahead of time, with the private registry's credential where it needs one.</summary>
public sealed record PrePullImage(string Image, RegistryAuth? Registry = null);

/// <summary>What the portal sends an agent for one action; <see cref="Images"/> only for <see cref="DeviceActionKind.PrePull"/>.</summary>
public sealed record DeviceActionJob(string ActionId, DeviceActionKind Kind, IReadOnlyList<PrePullImage> Images);

/// <summary>
/// An agent's word on an action: <see cref="DeviceActionState.Running"/> while it works (restarting, rebooting), then
/// <see cref="DeviceActionState.Succeeded"/> or <see cref="DeviceActionState.Failed"/> with a sentence for the operator.
/// </summary>
public sealed record DeviceActionReport(string ActionId, DeviceActionState State, string Message)
{
    public const int MaxMessageLength = 2000;
}

using Portal.Configuration;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: whether a new deployment waits for a second admin (<c>Portal:Approvals</c>), and why, in words the deployment
/// page and the requester see. Agent updates when <see cref="ApprovalOptions.AgentUpdates"/>; any deployment that
/// targets more devices than <see cref="ApprovalOptions.DeviceThreshold"/> (when set).
/// </summary>
public static class Approvals
{
    public static string? Needed(ApprovalOptions options, DeploymentKind kind, int targetedDevices)
    {
        if (kind == DeploymentKind.AgentRelease && options.AgentUpdates)
        {
            return "Waits for another admin's approval: agent updates need one (Portal:Approvals:AgentUpdates).";
        }

        return options.OverDeviceThreshold(targetedDevices)
            ? $"Waits for another admin's approval: it targets {targetedDevices} devices, more than {options.DeviceThreshold} (Portal:Approvals:DeviceThreshold)."
            : null;
    }
}

using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

/// <summary>Why a device cannot run a workload.</summary>
[JsonConverter(typeof(EnumNameConverter<DeviceCheckReason>))]
public enum DeviceCheckReason
{
    /// <summary>An app needs Docker and the device's inventory says no engine answers.</summary>
    DockerUnreachable,

    /// <summary>The app asks for a GPU and the device reports none.</summary>
    GpuMissing,

    /// <summary>A host port the app publishes is already published by another workload on the device.</summary>
    PortInUse,

    /// <summary>The image or model file does not fit in the device's free disk.</summary>
    DiskSpace,

    /// <summary>The app's image is not built for the device's CPU architecture.</summary>
    Architecture,

    /// <summary>The device's agent is older than the workload kind needs.</summary>
    AgentTooOld,

    /// <summary>The app references a <c>${config:KEY}</c> or <c>${secret:NAME}</c> the device has at no level.</summary>
    ConfigMissing,

    /// <summary>A typed parameter (a number, true/false) takes a <c>${config:KEY}</c> whose value on the device is not of that type.</summary>
    ConfigInvalid,

    /// <summary>An agent update goes to a device whose agent cannot replace itself (not started by its launcher, or updates off there).</summary>
    AgentNotUpdatable,
}

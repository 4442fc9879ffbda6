using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

/// <summary>
/// Where one device stands in a deployment. Waiting: not released yet by a rolling strategy. Superseded: a newer
/// deployment of the same app or model took this device over (the reason names it); the device returns to this
/// deployment if that one is rolled back or deleted. Skipped: the device cannot run the workload (the reason says why:
/// no Docker, no GPU, a port in use...); the deployment goes on without it.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<DeviceRolloutState>))]
public enum DeviceRolloutState
{
    Waiting,
    Pending,
    Pulling,
    Starting,
    Running,
    Failed,
    RolledBack,
    Superseded,
    Skipped,
}

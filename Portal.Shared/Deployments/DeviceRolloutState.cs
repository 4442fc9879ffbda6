using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

/// <summary>Where one device stands in a deployment. Waiting: not released yet by a rolling strategy.</summary>
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
}

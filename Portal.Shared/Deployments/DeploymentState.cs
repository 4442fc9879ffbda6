using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

/// <summary>
/// InProgress: releasing devices. Completed: every targeted device was tried; devices joining a target later get it at
/// once. Paused: no further devices until resumed. Aborted: stepping stopped, devices already released keep it.
/// RolledBack: removed from every device, which falls back to what it ran before.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<DeploymentState>))]
public enum DeploymentState
{
    InProgress,
    Paused,
    Completed,
    Aborted,
    RolledBack,
}

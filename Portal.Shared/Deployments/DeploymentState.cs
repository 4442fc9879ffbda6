using System.Text.Json.Serialization;
using Portal.Shared.Json;

namespace Portal.Shared.Deployments;

/// <summary>
/// InProgress: releasing devices. Completed: every targeted device was tried; devices joining a target later get it at
/// once. Paused: no further devices until resumed. Aborted: stepping stopped, devices already released keep it.
/// RolledBack: removed from every device, which falls back to what it ran before. Once every device was tried the
/// deployment says how that went: Completed (all running), CompletedWithFailures (some failed: "n of m" in the reason),
/// Failed (every device failed: the reason says why), or Superseded (a newer deployment of the same app or model
/// replaced it on every device: the reason names it). New values go at the end: scripts may still read numbers.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<DeploymentState>))]
public enum DeploymentState
{
    InProgress,
    Paused,
    Completed,
    Aborted,
    RolledBack,
    CompletedWithFailures,
    Failed,
    Superseded,

    /// <summary>
    /// Waits for a second admin's approval (<c>Portal:Approvals</c>): nothing is released until another admin approves
    /// it (it then goes InProgress); a rejection aborts it.
    /// </summary>
    AwaitingApproval,
}

namespace Portal.Agent.Docker;

/// <summary>
/// A container this agent owns, read back from the engine: the labels it was created with, and how it runs now.
/// <see cref="Restarting"/> is Docker's own restart policy at work (the process keeps exiting). A stack's container also
/// names its stack and service, and <see cref="Health"/> is the engine's healthcheck verdict (starting, healthy, unhealthy).
/// </summary>
public sealed record ContainerInfo(
    string Id,
    string Workload,
    string DeploymentId,
    long Revision,
    string SpecHash,
    string Image,
    bool Running,
    bool Restarting,
    int ExitCode,
    string? Error,
    DateTimeOffset? StartedAt,
    int RestartCount,
    string? Stack = null,
    string? Service = null,
    string? Health = null);

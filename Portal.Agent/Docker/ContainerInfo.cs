namespace Portal.Agent.Docker;

/// <summary>
/// A container this agent owns, read back from the engine: the labels it was created with, and how it runs now.
/// <see cref="Restarting"/> is Docker's own restart policy at work (the process keeps exiting).
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
    int RestartCount);

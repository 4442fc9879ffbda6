using Portal.Shared.Workloads;

namespace Portal.Features.Compose;

/// <summary>One service of a compose file, in the terms the portal builds a <see cref="StackService"/> from.</summary>
public sealed record ComposeService(
    string Name,
    int Line,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> EnvFiles,
    IReadOnlyList<PortMapping> Ports,
    IReadOnlyList<ComposeVolume> Volumes,
    IReadOnlyList<ServiceDependency> DependsOn,
    HealthCheckSpec? HealthCheck,
    string Restart,
    string NetworkMode,
    IReadOnlyList<string> Devices,
    ResourceLimits Limits,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string>? Secrets = null);

namespace Portal.Shared.Workloads;

/// <summary>
/// One service of a <see cref="StackSpec"/>: its container (named and hashed on its own), what it waits for, and the
/// engine's healthcheck that a <see cref="DependencyCondition.ServiceHealthy"/> dependant waits on.
/// </summary>
public sealed record StackService(
    string ServiceName,
    WorkloadSpec Container,
    IReadOnlyList<ServiceDependency> DependsOn,
    HealthCheckSpec? HealthCheck = null,
    IReadOnlyList<string>? Entrypoint = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyList<string>? Devices = null);

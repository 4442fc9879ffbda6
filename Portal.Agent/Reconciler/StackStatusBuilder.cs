using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Pure: each desired stack's status and its services'. A service is judged as any container is (by
/// <see cref="WorkloadStatusBuilder"/>); the stack is Failed when a command failed or a service failed, Running when
/// every service runs, and otherwise as far as its slowest service.
/// </summary>
public static class StackStatusBuilder
{
    public static IReadOnlyList<WorkloadStatus> Build(
        DesiredState desired,
        IReadOnlyList<ContainerInfo> current,
        IReadOnlyDictionary<string, string> failures,
        IReadOnlyDictionary<string, ContainerStats> stats,
        DateTimeOffset now)
    {
        var result = new List<WorkloadStatus>();
        foreach (var stack in desired.Stacks())
        {
            var containers = stack.Services
                .Select(s => s.Container with { Name = WorkloadLabels.ServiceWorkload(stack.Name, s.ServiceName) })
                .ToList();
            var judged = WorkloadStatusBuilder.Build(DesiredState.Of(desired.Revision, containers), current, new Dictionary<string, string>(), stats, now);
            var services = stack.Services.Zip(judged, (s, j) =>
            {
                // Not created yet: say what it waits for; a dependency that cannot become healthy fails it.
                var (state, reason) = (j.State, StackGates.For(stack, s, current)) switch
                {
                    (WorkloadState.Pending, { Failed: true } gate) => (WorkloadState.Failed, gate.Reason),
                    (WorkloadState.Pending, { } gate) => (WorkloadState.Pending, gate.Reason),
                    // It exited, and is started again only once its dependency is healthy: say what it waits for, not
                    // only that it exited (its exit may well be the dependency's fault).
                    (WorkloadState.Failed, { Failed: false } gate) when current.FirstOrDefault(c => c.Id == j.ContainerId) is { Running: false, Restarting: false }
                        => (WorkloadState.Pending, $"{j.Reason}; {gate.Reason}"),
                    _ => (j.State, j.Reason),
                };
                return new ServiceStatus(s.ServiceName, state, reason, j.Image, j.ContainerId, s.Container.SpecHash, current.FirstOrDefault(c => c.Id == j.ContainerId)?.Health);
            }).ToList();

            var failedService = services.FirstOrDefault(s => s.State == WorkloadState.Failed);
            var (state, reason) = (failures.GetValueOrDefault(stack.Name), failedService) switch
            {
                ({ } failed, _) => (WorkloadState.Failed, failed),
                (null, { } s) => (WorkloadState.Failed, $"Service '{s.Service}': {s.Reason}"),
                _ when services.All(s => s.State == WorkloadState.Running) => (WorkloadState.Running, (string?)null),
                _ when services.FirstOrDefault(s => s.State == WorkloadState.Pending) is { } waiting => (WorkloadState.Pending, waiting.Reason is null ? null : $"Service '{waiting.Service}': {waiting.Reason}"),
                _ => (WorkloadState.Starting, null),
            };
            var started = judged.Where(j => j.StartedAt is not null).Select(j => j.StartedAt).Min();
            result.Add(new WorkloadStatus(
                stack.Name, stack.DeploymentId, stack.SpecHash, state, reason, string.Join(", ", services.Select(s => s.Image).Distinct()), null,
                started, judged.Sum(j => j.RestartCount), Sum(judged.Select(j => j.CpuPercent)), Sum(judged.Select(j => j.MemoryBytes)),
                Kind: WorkloadKind.Stack, Services: services));
        }

        return result;
    }

    private static double? Sum(IEnumerable<double?> values) => values.Any(v => v is not null) ? values.Sum() : null;

    private static long? Sum(IEnumerable<long?> values) => values.Any(v => v is not null) ? values.Sum() : null;
}

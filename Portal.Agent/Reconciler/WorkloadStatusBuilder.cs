using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>Pure: what each desired workload's status is, from the containers after a reconcile and the reasons of what failed.</summary>
public static class WorkloadStatusBuilder
{
    /// <summary>A container counts as Running once it has stayed up this long; one that exits at once never looks healthy.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>Restarted by Docker and up for less than this: still crash-looping.</summary>
    public static readonly TimeSpan CrashLoopWindow = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<WorkloadStatus> Build(
        DesiredState desired,
        IReadOnlyList<ContainerInfo> current,
        IReadOnlyDictionary<string, string> failures,
        IReadOnlyDictionary<string, ContainerStats> stats,
        DateTimeOffset now)
    {
        var specs = desired.Containers();
        var result = new List<WorkloadStatus>(specs.Count);
        foreach (var spec in specs)
        {
            var container = current.FirstOrDefault(c => c.Workload == spec.Name && c.SpecHash == spec.SpecHash);
            var (state, reason) = (failures.GetValueOrDefault(spec.Name), container) switch
            {
                ({ } failed, _) => (WorkloadState.Failed, failed),
                (null, null) => (WorkloadState.Pending, null),
                (null, { Restarting: true } c) => (WorkloadState.Failed, $"Keeps exiting (exit code {c.ExitCode}); restarted {c.RestartCount} times{Detail(c)}"),
                (null, { Running: true, RestartCount: > 0 } c) when now - c.StartedAt < CrashLoopWindow =>
                    (WorkloadState.Failed, $"Keeps exiting (last exit code {c.ExitCode}); restarted {c.RestartCount} times{Detail(c)}"),
                (null, { Running: true } c) when now - c.StartedAt < Settle => (WorkloadState.Starting, null),
                (null, { Running: true }) => (WorkloadState.Running, null),
                (null, { StartedAt: null } c) => (WorkloadState.Starting, c.Error),
                (null, var c) => (WorkloadState.Failed, $"Exited with code {c.ExitCode}{Detail(c)}"),
            };
            var running = container is { Running: true } ? stats.GetValueOrDefault(container.Id) : null;
            result.Add(new WorkloadStatus(
                spec.Name, spec.DeploymentId, spec.SpecHash, state, reason, spec.Image, container?.Id,
                container?.StartedAt, container?.RestartCount ?? 0, running?.CpuPercent, running?.MemoryBytes));
        }

        return result;
    }

    private static string Detail(ContainerInfo c) => string.IsNullOrEmpty(c.Error) ? "" : $": {c.Error}";
}

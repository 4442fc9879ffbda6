using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Docker;
using Portal.Agent.Enrollment;
using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// The container driver: lists the containers this agent owns, plans with <see cref="ContainerPlanner"/>, runs the plan,
/// and judges each container workload's status. Also restarts a workload's container and reads its logs on request.
/// </summary>
public sealed partial class ContainerDriver(
    IOptions<AgentOptions> options,
    IContainerRuntimeFactory runtimes,
    PlanRunner<ContainerCommandContext> runner,
    LogFollower logs,
    WorkloadReporter reporter,
    TimeProvider clock,
    ILogger<ContainerDriver> logger) : IWorkloadDriver
{
    private readonly TaskCompletionSource<IContainerRuntime> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, WorkloadStatus> progress = new(StringComparer.Ordinal);
    private readonly PullRetries pulls = new(clock);
    private string? lastEngineError;
    private ContainerPlanner? planner;

    public WorkloadKind Kind => WorkloadKind.Container;

    public void Start(AgentCredentials credentials)
    {
        planner = new ContainerPlanner(credentials.DeviceId);
        ready.TrySetResult(runtimes.Create(credentials.DeviceId));
    }

    public async ValueTask StopAsync()
    {
        logs.StopAll();
        if (ready.Task.IsCompletedSuccessfully)
        {
            (await ready.Task as IDisposable)?.Dispose();
        }
    }

    public async Task RestartAsync(string workload, CancellationToken ct)
    {
        var runtime = await ready.Task.WaitAsync(ct);
        var container = (await runtime.ListAsync(ct)).FirstOrDefault(c => c.Workload == workload)
            ?? throw new ContainerRuntimeException($"There is no container for workload '{workload}' on this device.");
        await runtime.RestartAsync(container.Id, ct);
        LogRestarted(logger, workload);
    }

    public async Task<IReadOnlyList<LogLine>> TailLogsAsync(string workload, int tail, CancellationToken ct)
    {
        var runtime = await ready.Task.WaitAsync(ct);
        var container = (await runtime.ListAsync(ct)).FirstOrDefault(c => c.Workload == workload);
        return container is null ? [] : await runtime.TailLogsAsync(container.Id, Math.Clamp(tail, 0, 10_000), ct);
    }

    public async Task StartLogsAsync(string workload, int tail, Func<LogChunk, Task> send, CancellationToken ct)
    {
        var runtime = await ready.Task.WaitAsync(ct);
        var container = (await runtime.ListAsync(ct)).FirstOrDefault(c => c.Workload == workload);
        if (container is not null)
        {
            logs.Start(runtime, container.Id, workload, Math.Clamp(tail, 0, 10_000), send);
        }
    }

    public void StopLogs(string workload) => logs.Stop(workload);

    /// <summary>The connection is gone: nobody can watch any more.</summary>
    public void StopLogs() => logs.StopAll();

    public async Task<DriverReport> ReconcileAsync(DesiredState desired, CancellationToken ct)
    {
        var runtime = await ready.Task.WaitAsync(ct);
        var specs = desired.Containers();
        IReadOnlyList<ContainerInfo> current;
        DateTimeOffset observedAt;
        try
        {
            current = await runtime.ListAsync(ct);
            observedAt = clock.GetUtcNow();
        }
        catch (ContainerRuntimeException ex)
        {
            // No engine: nothing to do when nothing is desired; otherwise every workload is Failed with the reason.
            if (ex.Message != lastEngineError && specs.Count > 0)
            {
                LogEngineUnavailable(logger, ex.Message);
            }

            lastEngineError = ex.Message;
            return new DriverReport([.. specs.Select(w => new WorkloadStatus(
                w.Name, w.DeploymentId, w.SpecHash, WorkloadState.Failed, $"The Docker engine is unavailable: {ex.Message}", w.Image, null, null, 0, null, null))]);
        }

        lastEngineError = null;
        var plan = planner!.Create(desired, current);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!plan.IsEmpty)
        {
            pulls.KeepOnly([.. specs.Select(w => w.Image)]);
            var context = new ContainerCommandContext(runtime, desired.Revision, options.Value.MinFreeDiskMb * 1024L * 1024, (w, s, p) => OnProgress(desired, w, s, p), pulls);
            foreach (var (workload, reason) in await runner.RunAsync(plan, context, desired.Revision, ct))
            {
                failures[workload] = reason;
            }

            current = await runtime.ListAsync(ct);
            observedAt = clock.GetUtcNow();
        }

        lock (progress)
        {
            progress.Clear();
        }

        SyncLiveConfig(runtime, specs, current);
        var stats = new Dictionary<string, ContainerStats>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(current.Where(c => c.Running), ct, async (c, token) =>
        {
            if (await runtime.StatsAsync(c.Id, token) is { } s)
            {
                lock (stats)
                {
                    stats[c.Id] = s;
                }
            }
        });
        // Judged at the moment the containers were listed, not after the stats (about a second per container, far more on a
        // loaded machine): a container that exited at once was otherwise called Running because "now" had passed Settle.
        var statuses = WorkloadStatusBuilder.Build(desired, current, failures, stats, observedAt);
        // Still starting: look again once it has had time to settle (or to crash).
        return new DriverReport(statuses, statuses.Any(s => s.State == WorkloadState.Starting) ? WorkloadStatusBuilder.Settle : null);
    }

    /// <summary>
    /// Live-config containers that run this spec get their config files rewritten in place when the portal's text changed
    /// (no recreate: the app reads them again itself). A file that cannot be written is logged and tried next reconcile.
    /// </summary>
    private void SyncLiveConfig(IContainerRuntime runtime, IReadOnlyList<WorkloadSpec> specs, IReadOnlyList<ContainerInfo> current)
    {
        foreach (var spec in specs.Where(s => s.LiveConfig && current.Any(c => c.Workload == s.Name && c.SpecHash == s.SpecHash)))
        {
            try
            {
                if (runtime.SyncConfigFiles(spec))
                {
                    LogLiveConfig(logger, spec.Name);
                }
            }
            catch (IOException ex)
            {
                LogLiveConfigFailed(logger, spec.Name, ex.Message);
            }
            catch (UnauthorizedAccessException ex)
            {
                LogLiveConfigFailed(logger, spec.Name, ex.Message);
            }
        }
    }

    /// <summary>Pulling and starting can take minutes: the portal hears each step, not only the end.</summary>
    private void OnProgress(DesiredState desired, string workload, WorkloadState state, int? percent)
    {
        var containers = desired.Containers();
        var spec = containers.FirstOrDefault(w => w.Name == workload);
        if (spec is null)
        {
            return;
        }

        List<WorkloadStatus> statuses;
        lock (progress)
        {
            var status = new WorkloadStatus(workload, spec.DeploymentId, spec.SpecHash, state, null, spec.Image, null, null, 0, null, null, percent);
            if (!ProgressThrottle.Tells(progress.GetValueOrDefault(workload), status))
            {
                return;
            }

            progress[workload] = status;
            var others = reporter.Current(WorkloadKind.Container).Where(w => !progress.ContainsKey(w.Name) && containers.Any(d => d.Name == w.Name));
            statuses = [.. progress.Values, .. others];
        }

        _ = reporter.ReportAsync(WorkloadKind.Container, desired.Revision, statuses);
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Config files of {Workload} updated in place (live config)")]
    private static partial void LogLiveConfig(ILogger logger, string workload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config files of {Workload} could not be updated in place: {Error}")]
    private static partial void LogLiveConfigFailed(ILogger logger, string workload, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Docker engine is unavailable: {Error}")]
    private static partial void LogEngineUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restarted workload {Workload}")]
    private static partial void LogRestarted(ILogger logger, string workload);
}

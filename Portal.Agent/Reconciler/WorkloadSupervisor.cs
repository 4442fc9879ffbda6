using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Docker;
using Portal.Agent.Inference;
using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Keeps what runs equal to the desired state: reconciles when told (new desired state, re-sync, restart) and on a
/// fixed interval, connected or not, and reports the containers' statuses through the <see cref="WorkloadReporter"/>.
/// Runs one reconcile at a time.
/// </summary>
public sealed partial class WorkloadSupervisor(
    IOptions<AgentOptions> options,
    IContainerRuntimeFactory runtimes,
    PlanRunner runner,
    LogFollower logs,
    ModelSupervisor models,
    WorkloadReporter reporter,
    TimeProvider clock,
    ILogger<WorkloadSupervisor> logger)
{
    private readonly WakeSignal wake = new();
    private readonly TaskCompletionSource<IContainerRuntime> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, WorkloadStatus> progress = new(StringComparer.Ordinal);
    private readonly PullRetries pulls = new(clock);
    private string? lastEngineError;

    public DesiredStateStore Store { get; } = new(options.Value.DataDirectory, logger);

    public async Task RunAsync(string deviceId, CancellationToken stoppingToken)
    {
        var runtime = runtimes.Create(deviceId);
        ready.TrySetResult(runtime);
        var planner = new Planner(deviceId);
        var interval = TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReconcileAsync(runtime, planner, stoppingToken);
                await wake.WaitAsync(interval, stoppingToken);
            }
        }
        finally
        {
            logs.StopAll();
            (runtime as IDisposable)?.Dispose();
        }
    }

    /// <summary>Stores a newer desired state and reconciles towards it; an older or equal revision changes nothing.</summary>
    public void Apply(DesiredState state)
    {
        if (Store.TryUpdate(state))
        {
            LogNewRevision(logger, state.Revision, state.Workloads.Count, state.ModelWorkloads().Count);
            Wake();
        }
    }

    public void Wake()
    {
        wake.Set();
        models.Wake();
    }

    public async Task RestartAsync(string workload, CancellationToken ct)
    {
        var runtime = await ready.Task.WaitAsync(ct);
        var container = (await runtime.ListAsync(ct)).FirstOrDefault(c => c.Workload == workload)
            ?? throw new ContainerRuntimeException($"There is no container for workload '{workload}' on this device.");
        await runtime.RestartAsync(container.Id, ct);
        LogRestarted(logger, workload);
        Wake();
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

    private async Task ReconcileAsync(IContainerRuntime runtime, Planner planner, CancellationToken ct)
    {
        if (Store.Current is not { } desired)
        {
            // The stored desired state is damaged (the store said so loudly): what runs stays as it is until the portal speaks.
            return;
        }

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
            if (ex.Message != lastEngineError && desired.Workloads.Count > 0)
            {
                LogEngineUnavailable(logger, ex.Message);
            }

            lastEngineError = ex.Message;
            await PublishAsync(desired.Revision, desired.Workloads.Select(w => new WorkloadStatus(
                w.Name, w.DeploymentId, w.SpecHash, WorkloadState.Failed, $"The Docker engine is unavailable: {ex.Message}", w.Image, null, null, 0, null, null)).ToList());
            return;
        }

        lastEngineError = null;
        var plan = planner.Create(desired, current);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!plan.IsEmpty)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                LogPlan(logger, desired.Revision, string.Join(Environment.NewLine + "  ", plan.Show()));
            }
            pulls.KeepOnly([.. desired.Workloads.Select(w => w.Image)]);
            var context = new CommandContext(runtime, desired.Revision, options.Value.MinFreeDiskMb * 1024L * 1024, (w, s, p) => OnProgress(desired, w, s, p), pulls);
            foreach (var (workload, reason) in await runner.RunAsync(plan, context, ct))
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
        if (statuses.Any(s => s.State == WorkloadState.Starting))
        {
            // Look again once it has had time to settle (or to crash).
            _ = Task.Delay(WorkloadStatusBuilder.Settle, clock, ct).ContinueWith(_ => Wake(), TaskScheduler.Default);
        }

        await PublishAsync(desired.Revision, statuses);
    }

    /// <summary>Pulling and starting can take minutes: the portal hears each step, not only the end.</summary>
    private void OnProgress(DesiredState desired, string workload, WorkloadState state, int? percent)
    {
        var spec = desired.Workloads.FirstOrDefault(w => w.Name == workload);
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
            var others = reporter.Current(WorkloadKind.Container).Where(w => !progress.ContainsKey(w.Name) && desired.Workloads.Any(d => d.Name == w.Name));
            statuses = [.. progress.Values, .. others];
        }

        _ = PublishAsync(desired.Revision, statuses);
    }

    private Task PublishAsync(long revision, IReadOnlyList<WorkloadStatus> containers) => reporter.ReportAsync(WorkloadKind.Container, revision, containers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Desired state revision {Revision} received: {Count} containers, {Models} models")]
    private static partial void LogNewRevision(ILogger logger, long revision, int count, int models);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan for revision {Revision}:\n  {Plan}")]
    private static partial void LogPlan(ILogger logger, long revision, string plan);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Docker engine is unavailable: {Error}")]
    private static partial void LogEngineUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restarted workload {Workload}")]
    private static partial void LogRestarted(ILogger logger, string workload);
}

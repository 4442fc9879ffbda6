using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Docker;
using Portal.Agent.Enrollment;
using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// The stack driver: lists the containers this agent owns, plans the stacks with <see cref="StackPlanner"/>, runs the
/// plan, and reports each stack with its services. A service's logs and restart go through the container driver, as
/// workload <see cref="WorkloadLabels.ServiceWorkload"/>.
/// </summary>
public sealed partial class StackDriver(
    IOptions<AgentOptions> options,
    IContainerRuntimeFactory runtimes,
    PlanRunner<ContainerCommandContext> runner,
    TimeProvider clock,
    ILogger<StackDriver> logger) : IWorkloadDriver
{
    private readonly TaskCompletionSource<IContainerRuntime> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PullRetries pulls = new(clock);
    private string? lastEngineError;
    private StackPlanner? planner;

    public WorkloadKind Kind => WorkloadKind.Stack;

    public void Start(AgentCredentials credentials)
    {
        planner = new StackPlanner(credentials.DeviceId);
        ready.TrySetResult(runtimes.Create(credentials.DeviceId));
    }

    public async ValueTask StopAsync()
    {
        if (ready.Task.IsCompletedSuccessfully)
        {
            (await ready.Task as IDisposable)?.Dispose();
        }
    }

    public async Task<DriverReport> ReconcileAsync(DesiredState desired, CancellationToken ct)
    {
        var runtime = await ready.Task.WaitAsync(ct);
        var stacks = desired.Stacks();
        IReadOnlyList<ContainerInfo> current;
        DateTimeOffset observedAt;
        try
        {
            current = await runtime.ListAsync(ct);
            observedAt = clock.GetUtcNow();
        }
        catch (ContainerRuntimeException ex)
        {
            if (ex.Message != lastEngineError && stacks.Count > 0)
            {
                LogEngineUnavailable(logger, ex.Message);
            }

            lastEngineError = ex.Message;
            return new DriverReport([.. stacks.Select(s => new WorkloadStatus(
                s.Name, s.DeploymentId, s.SpecHash, WorkloadState.Failed, $"The Docker engine is unavailable: {ex.Message}", "", null, null, 0, null, null, Kind: WorkloadKind.Stack))]);
        }

        lastEngineError = null;
        var plan = planner!.Create(desired, current);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!plan.IsEmpty)
        {
            pulls.KeepOnly([.. stacks.SelectMany(s => s.Services).Select(s => s.Container.Image)]);
            var context = new ContainerCommandContext(runtime, desired.Revision, options.Value.MinFreeDiskMb * 1024L * 1024, (_, _, _) => { }, pulls);
            foreach (var (workload, reason) in await runner.RunAsync(plan, context, desired.Revision, ct))
            {
                failures[workload] = reason;
            }

            current = await runtime.ListAsync(ct);
            observedAt = clock.GetUtcNow();
        }

        // Judged when the containers were listed, as ContainerDriver does: a service that exited at once must not pass Settle.
        var statuses = StackStatusBuilder.Build(desired, current, failures, new Dictionary<string, ContainerStats>(), observedAt);
        return new DriverReport(statuses, statuses.Any(s => s.State is WorkloadState.Starting or WorkloadState.Pending) ? WorkloadStatusBuilder.Settle : null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Docker engine is unavailable for stacks: {Error}")]
    private static partial void LogEngineUnavailable(ILogger logger, string error);
}

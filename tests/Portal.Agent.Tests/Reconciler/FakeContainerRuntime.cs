using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Reconciler;

/// <summary>An engine in memory on a manual clock: records what it was told and lets each stats call take <see cref="StatsTake"/>.</summary>
internal sealed class FakeContainerRuntime(ManualClock clock) : IContainerRuntime, IContainerRuntimeFactory
{
    private readonly List<ContainerInfo> containers = [];

    public List<string> Ran { get; } = [];

    public TimeSpan StatsTake { get; init; }

    public IContainerRuntime Create(string deviceId) => this;

    public void Add(ContainerInfo container)
    {
        lock (containers)
        {
            containers.Add(container);
        }
    }

    public Task<IReadOnlyList<ContainerInfo>> ListAsync(CancellationToken cancellationToken)
    {
        lock (containers)
        {
            return Task.FromResult<IReadOnlyList<ContainerInfo>>([.. containers]);
        }
    }

    public Task<string> CreateAsync(WorkloadSpec spec, long revision, CancellationToken cancellationToken)
    {
        var name = WorkloadLabels.ContainerName("dev1", spec.Name);
        Ran.Add($"create {name}");
        Add(new ContainerInfo(name, spec.Name, spec.DeploymentId, revision, spec.SpecHash, spec.Image, false, false, 0, null, null, 0));
        return Task.FromResult(name);
    }

    public Task StartAsync(string containerId, CancellationToken cancellationToken)
    {
        Ran.Add($"start {containerId}");
        lock (containers)
        {
            var index = containers.FindIndex(c => c.Id == containerId);
            containers[index] = containers[index] with { Running = true, StartedAt = clock.GetUtcNow() };
        }

        return Task.CompletedTask;
    }

    public Task<ContainerStats?> StatsAsync(string containerId, CancellationToken cancellationToken)
    {
        // Stats are slow on a loaded machine: time passes while they are read.
        clock.Advance(StatsTake);
        return Task.FromResult<ContainerStats?>(null);
    }

    public Task<string> VersionAsync(CancellationToken cancellationToken) => Task.FromResult("fake");

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task PullAsync(string image, IProgress<int>? progress, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RestartAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<LogLine>> TailLogsAsync(string containerId, int tail, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<LogLine> FollowLogsAsync(string containerId, int tail, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<long?> FreeDiskBytesAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}

using Portal.Shared.Workloads;

namespace Portal.Agent.Docker;

/// <summary>
/// The agent's whole view of the container engine. Only containers carrying this agent's owner label are listed or
/// touched; everything else on the engine is invisible here. Engine errors surface as <see cref="ContainerRuntimeException"/>
/// with the engine's own message.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>The engine's version, e.g. <c>20.10.24</c>; throws when no engine answers.</summary>
    Task<string> VersionAsync(CancellationToken cancellationToken);

    /// <summary>Every container this agent created (running or not), whatever its workload.</summary>
    Task<IReadOnlyList<ContainerInfo>> ListAsync(CancellationToken cancellationToken);

    Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken);

    /// <summary>Pulls an image, reporting progress 0-100 when the engine says how far it is. Fails fast when the registry is unreachable or the image unknown.</summary>
    Task PullAsync(string image, IProgress<int>? progress, CancellationToken cancellationToken);

    /// <summary>Pulls with a private registry's credential; runtimes without registries ignore it.</summary>
    Task PullAsync(string image, RegistryAuth? auth, IProgress<int>? progress, CancellationToken cancellationToken) =>
        PullAsync(image, progress, cancellationToken);

    /// <summary>Creates (does not start) the workload's container with the owner, workload, revision and spec-hash labels. Returns its id.</summary>
    Task<string> CreateAsync(WorkloadSpec spec, long revision, CancellationToken cancellationToken);

    /// <summary>
    /// Creates (does not start) one service of a stack: the container of <see cref="WorkloadLabels.ServiceWorkload"/>
    /// with the stack and service labels, its healthcheck, and the stack's network (host where the engine has none).
    /// </summary>
    Task<string> CreateServiceAsync(StackSpec stack, StackService service, long revision, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This container runtime cannot run stacks.");

    /// <summary>
    /// A live-config container's files brought up to the spec's in the folder it has mounted (each changed file replaced
    /// whole, at once), without touching the container; true when a file changed. Runtimes that keep no files do nothing.
    /// </summary>
    bool SyncConfigFiles(WorkloadSpec spec) => false;

    /// <summary>Removes the stack's own network once its last container is gone; an engine without one has nothing to do.</summary>
    Task RemoveStackNetworkAsync(string stack, CancellationToken cancellationToken) => Task.CompletedTask;

    Task StartAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Stops a running container (a few seconds' grace, then killed); a stopped one is left as it is.</summary>
    Task StopAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Removes a container, forcing it if it still runs; removing one already gone is not an error.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    Task RestartAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>One reading of CPU % and memory in use, or null when the container does not run.</summary>
    Task<ContainerStats?> StatsAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="tail"/> lines of stdout and stderr, oldest first.</summary>
    Task<IReadOnlyList<LogLine>> TailLogsAsync(string containerId, int tail, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="tail"/> lines, then every new line until cancelled or the container is removed.</summary>
    IAsyncEnumerable<LogLine> FollowLogsAsync(string containerId, int tail, CancellationToken cancellationToken);

    /// <summary>
    /// Removes every image no container on the engine uses, except those named in <paramref name="keep"/> (what the
    /// desired state runs, or was pre-pulled for). Never forced: an image the engine will not let go is counted as refused.
    /// </summary>
    Task<ImagePruneResult> PruneImagesAsync(IReadOnlyCollection<string> keep, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This container runtime cannot prune images.");

    /// <summary>Free bytes on the file system holding the engine's images, or null when the agent cannot see it.</summary>
    Task<long?> FreeDiskBytesAsync(CancellationToken cancellationToken);
}

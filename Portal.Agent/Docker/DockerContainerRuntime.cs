using System.Globalization;
using System.Runtime.CompilerServices;
using Docker.DotNet;
using Docker.DotNet.Models;
using Portal.Shared.Workloads;

namespace Portal.Agent.Docker;

/// <summary>
/// <see cref="IContainerRuntime"/> over the Docker Engine API (Docker.DotNet). Only containers labelled with this
/// device are listed; every engine or connection failure surfaces as <see cref="ContainerRuntimeException"/>.
/// </summary>
public sealed partial class DockerContainerRuntime : IContainerRuntime, IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>An engine that says nothing this long while pulling is stuck on a registry it cannot reach.</summary>
    private static readonly TimeSpan PullStall = TimeSpan.FromSeconds(60);

    private readonly string _endpoint;
    private readonly string _deviceId;
    private readonly TimeProvider _clock;
    private readonly DockerClient _client;
    private readonly string? _configRoot;
    private readonly string? _secretsRoot;

    /// <param name="configRoot">Where containers' config files are written (under the agent's data folder); null: nowhere.</param>
    /// <param name="secretsRoot">Where containers' secret files are written (a folder on a tmpfs); null: nowhere.</param>
    public DockerContainerRuntime(string endpoint, string deviceId, TimeProvider clock, string? configRoot = null, string? secretsRoot = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        _endpoint = endpoint;
        _deviceId = deviceId;
        _clock = clock;
        _configRoot = configRoot is null ? null : Path.GetFullPath(configRoot);
        _secretsRoot = secretsRoot is null ? null : Path.GetFullPath(secretsRoot);

        // No API version pinned: unversioned paths let the engine (20.10 on older devices) answer with its own.
        _client = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).Build();
    }

    public Task<string> VersionAsync(CancellationToken cancellationToken) =>
        EngineAsync(async ct => (await _client.System.GetVersionAsync(ct)).Version, cancellationToken);

    public Task<IReadOnlyList<ContainerInfo>> ListAsync(CancellationToken cancellationToken) =>
        EngineAsync<IReadOnlyList<ContainerInfo>>(async ct =>
        {
            var listed = await _client.Containers.ListContainersAsync(
                new ContainersListParameters
                {
                    All = true,
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["label"] = new Dictionary<string, bool> { [$"{WorkloadLabels.Agent}={_deviceId}"] = true },
                    },
                },
                ct);
            var result = new List<ContainerInfo>(listed.Count);
            foreach (var container in listed)
            {
                // The list has no exit code, error or restart count; inspect has them all.
                var inspected = await InspectOrNullAsync(container.ID, ct);
                if (inspected is not null)
                {
                    result.Add(DockerContainerInfo.From(inspected));
                }
            }

            return result;
        }, cancellationToken);

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            try
            {
                await _client.Images.InspectImageAsync(image, ct);
                return true;
            }
            catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
            {
                return false;
            }
        }, cancellationToken);

    public Task PullAsync(string image, IProgress<int>? progress, CancellationToken cancellationToken) =>
        PullAsync(image, null, progress, cancellationToken);

    public Task PullAsync(string image, RegistryAuth? auth, IProgress<int>? progress, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            var (repository, tag) = DockerImageReference.Parse(image);
            var tracker = new DockerPullProgress(progress);
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var watchdog = new CancellationTokenSource(PullStall, _clock);
            using var link = watchdog.Token.Register(stall.Cancel);
            try
            {
                await _client.Images.CreateImageAsync(
                    new ImagesCreateParameters { FromImage = repository, Tag = tag },
                    auth is null ? null : new AuthConfig { ServerAddress = auth.Server, Username = auth.Username, Password = auth.Password },
                    new InlineProgress<JSONMessage>(message =>
                    {
                        watchdog.CancelAfter(PullStall);
                        tracker.Report(message);
                    }),
                    stall.Token);
            }
            catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new ContainerRuntimeException(
                    $"Pulling {image}: the engine reported nothing for {PullStall.TotalSeconds:0} s; can it reach the registry?");
            }

            if (tracker.Error is not null)
            {
                throw new ContainerRuntimeException(tracker.Error);
            }

            progress?.Report(100);
            return true;
        }, cancellationToken);

    public bool SyncConfigFiles(WorkloadSpec spec) =>
        ConfigFiles.Sync(_configRoot, WorkloadLabels.ContainerName(_deviceId, spec.Name), spec.ConfigFiles);

    public Task<string> CreateAsync(WorkloadSpec spec, long revision, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            var name = WorkloadLabels.ContainerName(_deviceId, spec.Name);
            var parameters = DockerSpecMapper.ToCreateParameters(
                spec, revision, _deviceId, ConfigFiles.Write(_configRoot, name, spec.ConfigFiles), SecretFiles.Write(_secretsRoot, name, spec.SecretFiles));

            // A container left by a crash or an earlier revision holds the name; the spec is the truth now.
            await RemoveIgnoringMissingAsync(WorkloadLabels.ContainerName(_deviceId, spec.Name), ct);
            var created = await _client.Containers.CreateContainerAsync(parameters, ct);
            return created.ID;
        }, cancellationToken);

    public Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        // Docker answers 304 for a container that already runs; Docker.DotNet returns false for it, which is fine here.
        EngineAsync(ct => _client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), ct), cancellationToken);

    public Task StopAsync(string containerId, CancellationToken cancellationToken) =>
        EngineAsync(
            ct => _client.Containers.StopContainerAsync(
                containerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)StopGrace.TotalSeconds }, ct),
            cancellationToken);

    public Task RestartAsync(string containerId, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            await _client.Containers.RestartContainerAsync(
                containerId, new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)StopGrace.TotalSeconds }, ct);
            return true;
        }, cancellationToken);

    public Task<ContainerStats?> StatsAsync(string containerId, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            // A stopped container still answers stats, with zeros; that is "not running", not a reading.
            var inspected = await InspectOrNullAsync(containerId, ct);
            if (inspected?.State is not { Running: true })
            {
                return null;
            }

            // Not one-shot: one-shot leaves precpu_stats empty, and CPU % needs two samples, so the engine waits ~1 s for the second.
            ContainerStatsResponse? reading = null;
            try
            {
                await _client.Containers.GetContainerStatsAsync(
                    containerId, new ContainerStatsParameters { Stream = false }, new InlineProgress<ContainerStatsResponse>(s => reading = s), ct);
            }
            catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
            {
                return null;
            }

            return reading is null ? null : new ContainerStats(DockerStats.CpuPercent(reading), DockerStats.MemoryBytes(reading));
        }, cancellationToken);

    public Task<IReadOnlyList<LogLine>> TailLogsAsync(string containerId, int tail, CancellationToken cancellationToken) =>
        EngineAsync<IReadOnlyList<LogLine>>(async ct =>
        {
            using var stream = await _client.Containers.GetContainerLogsAsync(containerId, LogParameters(tail, follow: false), ct);
            var lines = new List<LogLine>();
            await foreach (var line in DockerLogReader.ReadAsync(stream, _clock, ct))
            {
                lines.Add(line);
            }

            return lines;
        }, cancellationToken);

    public async IAsyncEnumerable<LogLine> FollowLogsAsync(
        string containerId,
        int tail,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stream = await OpenFollowAsync(containerId, tail, cancellationToken);
        if (stream is null)
        {
            yield break;
        }

        // The transport's read does not always watch the token; closing the stream under it always ends the read.
        using var closeOnCancel = cancellationToken.Register(stream.Dispose);
        await foreach (var line in DockerLogReader.ReadAsync(stream, _clock, cancellationToken))
        {
            yield return line;
        }
    }

    public Task<long?> FreeDiskBytesAsync(CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            var info = await _client.System.GetSystemInfoAsync(ct);

            // The engine may run elsewhere (remote endpoint, VM); its root path then means nothing on this machine.
            return string.IsNullOrEmpty(info.DockerRootDir) || !Directory.Exists(info.DockerRootDir)
                ? null
                : (long?)new DriveInfo(info.DockerRootDir).AvailableFreeSpace;
        }, cancellationToken);

    public void Dispose() => _client.Dispose();

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<MultiplexedStream?> OpenFollowAsync(string containerId, int tail, CancellationToken cancellationToken)
    {
        try
        {
            return await EngineAsync(
                ct => _client.Containers.GetContainerLogsAsync(containerId, LogParameters(tail, follow: true), ct),
                cancellationToken);
        }
        catch (ContainerRuntimeException ex) when (DockerErrors.IsNotFound(ex.InnerException))
        {
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static ContainerLogsParameters LogParameters(int tail, bool follow) => new()
    {
        ShowStdout = true,
        ShowStderr = true,
        Timestamps = true,
        Follow = follow,
        Tail = tail < 0 ? "all" : tail.ToString(CultureInfo.InvariantCulture),
    };

    private async Task<ContainerInspectResponse?> InspectOrNullAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.Containers.InspectContainerAsync(containerId, cancellationToken);
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            return null;
        }
    }

    private async Task RemoveIgnoringMissingAsync(string containerIdOrName, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.RemoveContainerAsync(containerIdOrName, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            // Already gone is what the caller wanted.
        }
    }

    private async Task<T> EngineAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Docker.DotNet's own request timeout surfaces as a cancellation nobody asked for.
            throw new ContainerRuntimeException($"The Docker engine at {_endpoint} did not answer in time.", ex);
        }
        catch (Exception ex) when (DockerErrors.Translate(ex, _endpoint) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Reports on the caller's thread; <see cref="Progress{T}"/> posts later, after a pull may already have returned.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

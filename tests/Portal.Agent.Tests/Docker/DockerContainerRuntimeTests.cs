using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Docker;

/// <summary>
/// Runs against a real engine named by <c>PORTAL_TEST_DOCKER</c> (e.g. <c>unix:///run/portal-test/docker.sock</c>) that
/// has the image <c>local/busybox:1</c>; skipped without one. Each test uses its own device id, so it only sees and
/// cleans up its own containers.
/// </summary>
public sealed class DockerContainerRuntimeTests : IAsyncLifetime
{
    private const string Busybox = "local/busybox:1";

    private readonly string _deviceId = "test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<DockerContainerRuntime> _runtimes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_WorkloadSpec_ContainerCarriesLabelsAndRuns()
    {
        var runtime = Runtime();
        var port = FreePort();
        var spec = Httpd("web", port);

        var id = await CreateAsync(runtime, spec, revision: 7);
        await runtime.StartAsync(id, Ct);

        var listed = Assert.Single(await runtime.ListAsync(Ct));
        Assert.Equal(id, listed.Id);
        Assert.Equal(spec.Name, listed.Workload);
        Assert.Equal(spec.DeploymentId, listed.DeploymentId);
        Assert.Equal(7, listed.Revision);
        Assert.Equal(spec.SpecHash, listed.SpecHash);
        Assert.Equal(Busybox, listed.Image);
        Assert.True(listed.Running);
        Assert.NotNull(listed.StartedAt);
        Assert.Equal(0, listed.RestartCount);

        Assert.Equal("hello", (await GetAsync(port)).Trim());
        Assert.NotNull(await runtime.StatsAsync(id, Ct));

        // httpd -v logs each request on stderr; give the engine's log driver a moment to write it.
        IReadOnlyList<LogLine> lines = [];
        for (var i = 0; i < 50 && !lines.Any(l => l.Stream == "stderr" && l.Text.Contains("response:200", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100, Ct);
            lines = await runtime.TailLogsAsync(id, 50, Ct);
        }

        var request = Assert.Single(lines, l => l.Text.Contains("response:200", StringComparison.Ordinal));
        Assert.Equal("stderr", request.Stream);
        Assert.False(request.Text.EndsWith('\n'));
        Assert.InRange(request.At, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var stopping = Stopwatch.StartNew();
        await runtime.StopAsync(id, Ct);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"stop took {stopping.Elapsed}; init should pass SIGTERM on");
        Assert.Null(await runtime.StatsAsync(id, Ct));
        Assert.False(Assert.Single(await runtime.ListAsync(Ct)).Running);

        await runtime.RemoveAsync(id, Ct);
        Assert.Empty(await runtime.ListAsync(Ct));
    }

    [Fact]
    public async Task FollowLogs_NewRequest_ArrivesAndEndsCleanlyOnCancel()
    {
        var runtime = Runtime();
        var port = FreePort();
        var id = await CreateAsync(runtime, Httpd("follow", port), revision: 1);
        await runtime.StartAsync(id, Ct);
        Assert.Equal("hello", (await GetAsync(port)).Trim());

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        var seen = new List<LogLine>();
        var follow = Task.Run(async () =>
        {
            await foreach (var line in runtime.FollowLogsAsync(id, 0, stop.Token))
            {
                seen.Add(line);
                if (line.Text.Contains("response:200", StringComparison.Ordinal))
                {
                    await stop.CancelAsync();
                }
            }
        }, Ct);

        await Task.Delay(500, Ct);
        var watch = Stopwatch.StartNew();

        // httpd -v logs the client and status, not the path: with tail 0 the only 200 seen is this second request.
        Assert.Equal("hello", (await GetAsync(port)).Trim());
        await follow;

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "follow only ended on the 20 s safety net");
        Assert.Contains(seen, l => l.Stream == "stderr" && l.Text.Contains("response:200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FollowLogs_ContainerRemoved_EndsWithoutError()
    {
        var runtime = Runtime();
        var id = await CreateAsync(runtime, Spec("gone", ["sh", "-c", "echo started; sleep 300"]), revision: 1);
        await runtime.StartAsync(id, Ct);

        var follow = Task.Run(async () =>
        {
            var lines = new List<LogLine>();
            await foreach (var line in runtime.FollowLogsAsync(id, 10, Ct))
            {
                lines.Add(line);
            }

            return lines;
        }, Ct);
        await Task.Delay(1000, Ct);
        await runtime.RemoveAsync(id, Ct);

        var lines = await follow.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.Contains(lines, l => l is { Stream: "stdout", Text: "started" });
    }

    [Fact]
    public async Task List_OtherDevicesContainer_IsNeverListed()
    {
        var runtime = Runtime();
        var other = Runtime("other-" + Guid.NewGuid().ToString("N")[..12]);
        var id = await CreateAsync(other, Spec("theirs", ["sleep", "300"]), revision: 1);

        Assert.Empty(await runtime.ListAsync(Ct));
        var theirs = Assert.Single(await other.ListAsync(Ct));
        Assert.Equal(id, theirs.Id);

        // Never started: Docker says 0001-01-01, which is no start time.
        Assert.Null(theirs.StartedAt);
        Assert.False(theirs.Running);
    }

    [Fact]
    public async Task Create_LeftOverContainerWithSameName_ReplacesIt()
    {
        var runtime = Runtime();
        var first = await CreateAsync(runtime, Spec("again", ["sleep", "300"]), revision: 1);
        await runtime.StartAsync(first, Ct);

        var second = await CreateAsync(runtime, Spec("again", ["sleep", "300"]), revision: 2);

        var listed = Assert.Single(await runtime.ListAsync(Ct));
        Assert.Equal(second, listed.Id);
        Assert.NotEqual(first, second);
        Assert.Equal(2, listed.Revision);
    }

    [Fact]
    public async Task StartRemove_AlreadyRunningOrGone_IsNoError()
    {
        var runtime = Runtime();
        var id = await CreateAsync(runtime, Spec("twice", ["sleep", "300"]), revision: 1);

        await runtime.StartAsync(id, Ct);
        await runtime.StartAsync(id, Ct);
        await runtime.RestartAsync(id, Ct);
        Assert.True(Assert.Single(await runtime.ListAsync(Ct)).Running);

        await runtime.RemoveAsync(id, Ct);
        await runtime.RemoveAsync(id, Ct);
        Assert.Empty(await runtime.ListAsync(Ct));
    }

    [Fact]
    public async Task Pull_ImageNoRegistryHas_FailsFastWithEngineMessage()
    {
        var runtime = Runtime();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.PullAsync("local/does-not-exist:1", null, Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"pull failed only after {watch.Elapsed}");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain("status code", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EngineFacts_VersionImageAndDisk_AreRead()
    {
        var runtime = Runtime();

        Assert.False(string.IsNullOrWhiteSpace(await runtime.VersionAsync(Ct)));
        Assert.True(await runtime.ImageExistsAsync(Busybox, Ct));
        Assert.False(await runtime.ImageExistsAsync("local/does-not-exist:1", Ct));

        // The test engine's root is on this machine, so its free space is visible.
        Assert.True(await runtime.FreeDiskBytesAsync(Ct) > 0);
    }

    [Fact]
    public async Task Version_NoEngineAtEndpoint_SaysItCannotReachIt()
    {
        const string endpoint = "unix:///run/portal-test/no-such-docker.sock";
        await using var runtime = new DockerContainerRuntime(endpoint, _deviceId, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.VersionAsync(Ct));

        Assert.StartsWith($"Cannot reach the Docker engine at {endpoint}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local/busybox:1", "local/busybox", "1")]
    [InlineData("eclipse-mosquitto:2.0.18", "eclipse-mosquitto", "2.0.18")]
    [InlineData("ghcr.io/org/app:1.2", "ghcr.io/org/app", "1.2")]
    [InlineData("nginx", "nginx", "latest")]
    [InlineData("registry.local:5000/team/app", "registry.local:5000/team/app", "latest")]
    [InlineData("registry.local:5000/team/app:3", "registry.local:5000/team/app", "3")]
    [InlineData("repo@sha256:abc123", "repo", "sha256:abc123")]
    [InlineData("ghcr.io/org/app:1.2@sha256:abc123", "ghcr.io/org/app", "sha256:abc123")]
    public void ParseImageReference_CommonForms_SplitsRepositoryAndTag(string image, string repository, string tag)
    {
        Assert.Equal((repository, tag), DockerImageReference.Parse(image));
    }

    [Fact]
    public void LogSplitter_LinesSplitAcrossReads_AreJoinedPerStream()
    {
        var splitter = new DockerLogSplitter(TimeProvider.System);
        var lines = new List<LogLine>();
        var euro = Encoding.UTF8.GetBytes("2024-05-01T10:00:00.123456789Z price 5€\n");

        splitter.Append("stdout", Encoding.UTF8.GetBytes("2024-05-01T10:00:01Z fir"), lines);
        splitter.Append("stderr", euro.AsSpan(0, euro.Length - 2), lines);
        splitter.Append("stdout", Encoding.UTF8.GetBytes("st\n2024-05-01T10:00:02Z second\r\n2024-05-01T10:00:03Z tail"), lines);
        splitter.Append("stderr", euro.AsSpan(euro.Length - 2), lines);
        lines.AddRange(splitter.Flush());

        Assert.Equal(
            [
                new LogLine(new DateTimeOffset(2024, 5, 1, 10, 0, 1, TimeSpan.Zero), "stdout", "first"),
                new LogLine(new DateTimeOffset(2024, 5, 1, 10, 0, 2, TimeSpan.Zero), "stdout", "second"),
                new LogLine(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), "stderr", "price 5€"),
                new LogLine(new DateTimeOffset(2024, 5, 1, 10, 0, 3, TimeSpan.Zero), "stdout", "tail"),
            ],
            lines);
    }

    [Fact]
    public void StartedAt_NeverStarted_IsNull()
    {
        Assert.Null(DockerContainerInfo.StartedAt("0001-01-01T00:00:00Z"));
        Assert.Equal(
            new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(5),
            DockerContainerInfo.StartedAt("2024-05-01T10:00:00.000000512Z"));
    }

    [Fact]
    public void SpecMapper_BridgeNetworkWithGpu_MapsPortsVolumesLimitsAndAgentVariables()
    {
        var spec = Spec("mapped", []) with
        {
            NetworkMode = "bridge",
            Ports = [new PortMapping(1883, 11883)],
            Volumes = [new VolumeMount("data", "/data"), new VolumeMount("conf", "/etc/app", ReadOnly: true)],
            RestartPolicy = "unless-stopped",
            Limits = new ResourceLimits(CpuCores: 1.5, MemoryBytes: 1024, Gpu: true),
        };

        var create = DockerSpecMapper.ToCreateParameters(spec, 3, _deviceId);
        var host = create.HostConfig!;

        Assert.Equal(WorkloadLabels.ContainerName(_deviceId, spec.Name), create.Name);
        Assert.Empty(create.Cmd);
        Assert.Equal(["GREETING=hello", $"PORTAL_DEVICE_ID={_deviceId}", $"PORTAL_WORKLOAD={spec.Name}"], create.Env);
        Assert.Equal("3", create.Labels[WorkloadLabels.Revision]);
        Assert.Equal("11883", Assert.Single(host.PortBindings["1883/tcp"]).HostPort);
        Assert.Equal(["data:/data", "conf:/etc/app:ro"], host.Binds);
        Assert.Equal(1_500_000_000, host.NanoCPUs);
        Assert.Equal(1024, host.Memory);
        Assert.True(host.Init);
        var gpu = Assert.Single(host.DeviceRequests);
        Assert.Equal(("nvidia", -1L, "gpu"), (gpu.Driver, gpu.Count, Assert.Single(Assert.Single(gpu.Capabilities))));

        // Under host networking the engine rejects published ports, so none are sent.
        Assert.Empty(DockerSpecMapper.ToCreateParameters(spec with { NetworkMode = "host" }, 3, _deviceId).HostConfig!.PortBindings);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var runtime in _runtimes)
        {
            // Whatever a failed test left behind; ListAsync sees only this runtime's device.
            foreach (var container in await runtime.ListAsync(CancellationToken.None))
            {
                await runtime.RemoveAsync(container.Id, CancellationToken.None);
            }

            await runtime.DisposeAsync();
        }
    }

    private DockerContainerRuntime Runtime(string? deviceId = null)
    {
        var endpoint = Environment.GetEnvironmentVariable("PORTAL_TEST_DOCKER");
        if (string.IsNullOrEmpty(endpoint) || (endpoint.StartsWith("unix://", StringComparison.Ordinal) && !File.Exists(new Uri(endpoint).AbsolutePath)))
        {
            Assert.Skip("No Docker engine: set PORTAL_TEST_DOCKER to an engine's endpoint (e.g. unix:///run/portal-test/docker.sock) with local/busybox:1 loaded.");
        }

        var runtime = new DockerContainerRuntime(endpoint, deviceId ?? _deviceId, TimeProvider.System);
        _runtimes.Add(runtime);
        return runtime;
    }

    private static Task<string> CreateAsync(DockerContainerRuntime runtime, WorkloadSpec spec, long revision) =>
        runtime.CreateAsync(spec, revision, Ct);

    private WorkloadSpec Spec(string name, IReadOnlyList<string> command) => new(
        Name: $"{name}-{_deviceId[5..11]}",
        DeploymentId: "dep-" + name,
        Image: Busybox,
        Command: command,
        Environment: new Dictionary<string, string> { ["GREETING"] = "hello" },
        Ports: [new PortMapping(80, 8080)],
        Volumes: [],
        RestartPolicy: "no",
        NetworkMode: "host",
        Limits: new ResourceLimits(CpuCores: 0.5, MemoryBytes: 64 * 1024 * 1024),
        SpecHash: "hash-" + name);

    private WorkloadSpec Httpd(string name, int port) => Spec(
        name,
        ["sh", "-c", $"mkdir -p /www && echo hello > /www/index.html && httpd -f -v -p 127.0.0.1:{port} -h /www"]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Retries while httpd is still starting.</summary>
    private static async Task<string> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), Ct);
            }
            catch (HttpRequestException ex) when (attempt < 50 && ex.StatusCode is null)
            {
                await Task.Delay(100, Ct);
            }
        }
    }
}

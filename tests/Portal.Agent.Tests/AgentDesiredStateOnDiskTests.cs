using Portal.Agent.Enrollment;
using Portal.Agent.Reconciler;
using Portal.Agent.Storage;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.Agent.Tests;

/// <summary>
/// The real agent process and a real Docker engine: a desired-state file damaged by a power cut, the portal out of
/// reach. What runs keeps running: not removed, not recreated.
/// </summary>
public sealed class AgentDesiredStateOnDiskTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-agent-tests", Guid.NewGuid().ToString("N"));
    private readonly string deviceId = "disk-" + Guid.NewGuid().ToString("N")[..12];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Restart_DesiredStateTruncatedAndPortalDown_KeepsTheSameContainerRunning(bool lastGoodCopyDamagedToo)
    {
        var endpoint = DockerEngine.RequireEndpoint();
        var portal = $"http://127.0.0.1:{AgentProcess.FreeLoopbackPort()}/";
        new CredentialStore(dataDirectory).Save(new AgentCredentials(deviceId, $"dev_{deviceId}.offline", portal, DateTimeOffset.UnixEpoch));
        new DesiredStateStore(dataDirectory).TryUpdate(DesiredState.Of(7, [Worker("steady")], []));
        var environment = new Dictionary<string, string>
        {
            ["Agent__DockerEndpoint"] = endpoint,
            ["Agent__ReconcileIntervalSeconds"] = "1",
        };

        string container;
        await using (var first = AgentProcess.Start(environment, "--portal", portal, "--data-dir", dataDirectory))
        {
            container = await WaitForRunningContainerAsync(first);
            await first.TerminateAsync(ct);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(15), ct);
        }

        var path = Path.Combine(dataDirectory, DesiredStateStore.FileName);
        Truncate(path);
        if (lastGoodCopyDamagedToo)
        {
            Truncate(path + DurableFile.BackupSuffix);
        }

        await using var second = AgentProcess.Start(environment, "--portal", portal, "--data-dir", dataDirectory);
        await second.WaitForLineAsync("Cannot reach the portal", TimeSpan.FromSeconds(30), ct);
        await second.WaitForLineAsync(lastGoodCopyDamagedToo ? "the desired state is unknown" : "using its last good copy (revision 7)", TimeSpan.FromSeconds(30), ct);
        // Several reconciles (one a second) with the portal away.
        await Task.Delay(TimeSpan.FromSeconds(4), ct);

        Assert.Equal([container], await DockerEngine.ContainersOfAsync(deviceId, ct));
        Assert.Equal("true", await DockerEngine.InspectAsync(container, "{{.State.Running}}", ct));
        Assert.DoesNotContain("docker stop", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("docker rm", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("docker create", second.Output, StringComparison.Ordinal);
    }

    private static WorkloadSpec Worker(string name) => new(name, "dep-disk", "local/busybox:1", ["sh", "-c", "echo working; exec sleep 3600"],
        new Dictionary<string, string>(), [], [], "unless-stopped", "none", new ResourceLimits(), "hash-" + name);

    private static void Truncate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
    }

    private async Task<string> WaitForRunningContainerAsync(AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await DockerEngine.ContainersOfAsync(deviceId, ct) is [var id]
                && await DockerEngine.InspectAsync(id, "{{.State.Running}}", ct) == "true")
            {
                return id;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"The agent did not start its container. It printed:\n{agent.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        await DockerEngine.RemoveContainersOfAsync(deviceId);
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}

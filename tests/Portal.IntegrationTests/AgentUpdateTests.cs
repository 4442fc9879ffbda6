using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Shared.AgentReleases;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// An agent updated over the air, for real: two release builds of the agent (the same source published as 0.5.1 and
/// 0.5.2, self-contained single files), installed the way the README says (portal-agent-launch, versions/, current) and
/// run against a real portal and Docker engine. Enrolled on 0.5.1 with a busybox container running, the device is updated
/// through the portal to 0.5.2: it restarts, reconnects and reports 0.5.2, and the container is the same one. Then a
/// release 0.5.3 whose build exits at start (a real x86-64 executable: /bin/false): the launcher puts 0.5.2 back by
/// itself, the device reports the update Failed with the reason, the rolling deployment pauses at its 0 % threshold,
/// and the container still runs untouched.
/// </summary>
public sealed class AgentUpdateTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "portal-agent-update-" + Guid.NewGuid().ToString("N"));
    private readonly int port = AgentProcess.FreeLoopbackPort();
    private PortalFactory? portal;
    private AgentProcess? launcher;
    private string? deviceId;

    public ValueTask InitializeAsync()
    {
        DockerEngine.RequireEndpoint();
        if (AgentReleaseManifest.CurrentArchitecture() != "linux-x64" || !File.Exists("/bin/false"))
        {
            Assert.Skip("The failing release is /bin/false uploaded as linux-x64: this test runs on x86-64 Linux only.");
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AgentUpdatedThroughThePortal_RestartsOnTheNewVersion_AndABrokenReleaseRollsBackByItself()
    {
        var a = await AgentBuilds.PublishAsync("0.5.1", ct);
        var b = await AgentBuilds.PublishAsync("0.5.2", ct);
        var home = Install(a, "0.5.1");

        portal = new PortalFactory();
        portal.Settings["Portal:DataDirectory"] = Path.Combine(root, "portal");
        portal.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        portal.StartServer();
        using var admin = await ApiClient.AdminAsync(portal, ct);

        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "line-7", ct);
        launcher = AgentProcess.StartCommand("/bin/sh", AgentEnvironment(home),
            Path.Combine(home, "portal-agent-launch"), "--portal", $"http://127.0.0.1:{port}", "--enroll", token, "--data-dir", Path.Combine(root, "agent-data"), "--name", "line-7");
        deviceId = await launcher.WaitUntilOnlineAsync(admin, "line-7", ct);
        await WaitForVersionAsync(admin, "0.5.1");

        // A container that must outlive both agent restarts.
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("web-line-7"), ct);
        var web = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("web-line-7", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture) }, DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, web.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => launcher.Output);
        var container = Assert.Single(await DockerEngine.ContainersOfAsync(deviceId, ct));
        var started = await DockerEngine.InspectAsync(container, "{{.State.StartedAt}}", ct);

        // Releases: 0.5.2 for real; 0.5.3 a real executable that exits at once.
        var release = await UploadAsync(admin, "0.5.2", b);
        Assert.Equal([("linux-x64", new FileInfo(b).Length)], release.Files.Select(f => (f.Architecture, f.SizeBytes)));
        await UploadAsync(admin, "0.5.3", "/bin/false");

        var update = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, DeviceIds: [deviceId], AgentReleaseVersion: "0.5.2"), ct);
        Assert.Equal(DeploymentKind.AgentRelease, update.Kind);
        await DeploymentApi.WaitForAsync(admin, update.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 120, () => launcher.Output);
        await WaitForVersionAsync(admin, "0.5.2");
        Assert.Equal(Path.Combine(home, "versions", "0.5.2", "portal-agent"), new FileInfo(Path.Combine(home, "current")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(home, "state", "pending")), "the new version ended its trial");
        Assert.Equal([container], await DockerEngine.ContainersOfAsync(deviceId, ct));
        Assert.Equal(started, await DockerEngine.InspectAsync(container, "{{.State.StartedAt}}", ct));

        var broken = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, DeviceIds: [deviceId], AgentReleaseVersion: "0.5.3",
            Strategy: new RolloutStrategy(RolloutKind.Rolling, BatchSize: 1, FailureThresholdPercent: 0, OnFailure: FailureAction.Pause)), ct);
        var failed = await DeploymentApi.WaitForAsync(admin, broken.Id, d => d.State == DeploymentState.Paused, ct, 120, () => launcher.Output);
        var target = Assert.Single(failed.Devices!);
        Assert.Equal(DeviceRolloutState.Failed, target.State);
        Assert.Contains("rolled back to 0.5.2", target.Reason, StringComparison.Ordinal);
        Assert.Contains("exited with code 1", target.Reason, StringComparison.Ordinal);
        Assert.Contains("threshold", failed.StateReason, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(home, "versions", "0.5.2", "portal-agent"), new FileInfo(Path.Combine(home, "current")).LinkTarget);
        Assert.Equal("0.5.2", await AgentVersionAsync(admin));
        Assert.Equal(DeviceStatus.Online, (await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(deviceId), ct))!.Status);
        Assert.Equal([container], await DockerEngine.ContainersOfAsync(deviceId, ct));
        Assert.Equal(started, await DockerEngine.InspectAsync(container, "{{.State.StartedAt}}", ct));

        // A release in use cannot be deleted.
        using var delete = await admin.DeleteAsync(ApiRoutes.AgentRelease("0.5.2"), ct);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
    }

    /// <summary>The layout the README's install steps make: the launcher, versions/&lt;v&gt;/portal-agent, current.</summary>
    private string Install(string build, string version)
    {
        var home = Path.Combine(root, "opt");
        var binary = Path.Combine(home, "versions", version, "portal-agent");
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        File.Copy(build, binary);
        File.Copy(Path.Combine(AgentBuilds.RepositoryRoot(), "Portal.Agent", "deploy", "portal-agent-launch"), Path.Combine(home, "portal-agent-launch"));
        File.CreateSymbolicLink(Path.Combine(home, "current"), binary);
        return home;
    }

    private Dictionary<string, string> AgentEnvironment(string home) => new()
    {
        ["PORTAL_AGENT_HOME"] = home,
        ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(root, "bundle"),
        ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(),
        ["Agent__ReconcileIntervalSeconds"] = "2",
        ["Agent__TelemetryIntervalSeconds"] = "1",
        ["Agent__Update__HealthTimeoutSeconds"] = "90",
        ["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<AgentReleaseDto> UploadAsync(HttpClient admin, string version, string file)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(version), "version" },
            { new StringContent($"Test release {version}"), "releaseNotes" },
        };
        var build = new StreamContent(File.OpenRead(file));
        build.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(build, "linux-x64", "portal-agent");
        using var response = await admin.PostAsync(ApiRoutes.AgentReleases, form, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<AgentReleaseDto>(ct))!;
    }

    private async Task<string?> AgentVersionAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(deviceId!), ct))!.Inventory?.AgentVersion;

    private async Task WaitForVersionAsync(HttpClient admin, string version)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await AgentVersionAsync(admin) != version)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The device did not report agent {version}:\n{launcher!.Output}");
            await Task.Delay(250, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (launcher is not null)
        {
            await launcher.DisposeAsync();
        }

        if (deviceId is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(deviceId);
        }

        portal?.Dispose();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

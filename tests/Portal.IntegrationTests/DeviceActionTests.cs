using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Runs alone, after the parallel classes: pruning removes every unused image on the shared test engine.</summary>
[CollectionDefinition(nameof(SerialImageTests), DisableParallelization = true)]
public sealed class SerialImageTests;

/// <summary>
/// Remote actions with a real portal, real agent processes and the real Docker engine: the agent restarts (exit code 10,
/// started again by its supervisor, here the test) and says so after reconnecting while its container runs on; reboots
/// are refused unless the device allows them, and a reboot that did not happen is caught by the boot id; an offline
/// device fails at once unless the action is queued, and a queued prune runs when it returns; a pre-pull fetches a
/// deployment's private image with the registry credential and starts nothing. Every outcome is audited.
/// </summary>
[Collection(nameof(SerialImageTests))]
public sealed class DeviceActionTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly List<string> devices = [];
    private readonly List<string> temporary = [];
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task RestartAgent_ExitsForItsSupervisor_ReportsAfterReconnecting_ContainerKeepsRunning()
    {
        var data = NewFolder();
        var agent = await StartAgentAsync("restart-me", data, Restartable());
        var device = devices[0];
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("restart-web"), ct);
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("restart-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture) }, DeviceIds: [device]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 60, () => agent.Output);
        var container = Assert.Single(await DockerEngine.ContainersOfAsync(device, ct));

        var asked = await RequestAsync(device, new DeviceActionRequest(DeviceActionKind.RestartAgent));
        Assert.Equal(DeviceActionState.Sent, asked.State);

        // The supervisor's part: the agent stops with 10, and is started again.
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(10, agent.ExitCode);
        await agent.DisposeAsync();
        await using var again = AgentProcess.Start(Restartable(), "--portal", address.ToString(), "--data-dir", data);
        var done = await WaitForAsync(device, asked.Id, a => a.State == DeviceActionState.Succeeded, () => again.Output);

        Assert.Contains("restarted", done.Message, StringComparison.Ordinal);
        Assert.Equal([container], await DockerEngine.ContainersOfAsync(device, ct));
        Assert.Equal("true", await DockerEngine.InspectAsync(container, "{{.State.Running}}", ct));
        var audit = await AuditAsync(AuditActions.DeviceActionFinished);
        Assert.Contains(audit, e => e.Target == AuditTargets.Device(device) && e.Outcome == AuditOutcomes.Success && e.Detail!.Contains("Restart agent asked by admin", StringComparison.Ordinal));
        Assert.Contains(await AuditAsync(AuditActions.DeviceActionRequested), e => e.Detail!.StartsWith("Restart agent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestartAgent_WithoutASupervisor_FailsSayingSo_AndTheAgentRunsOn()
    {
        await using var agent = await StartAgentAsync("unsupervised", NewFolder(), new Dictionary<string, string> { ["Agent__Actions__Restartable"] = "false" });

        var asked = await RequestAsync(devices[0], new DeviceActionRequest(DeviceActionKind.RestartAgent));
        var failed = await WaitForAsync(devices[0], asked.Id, a => a.State == DeviceActionState.Failed, () => agent.Output);

        Assert.Contains("systemd or portal-agent-launch", failed.Message, StringComparison.Ordinal);
        await Task.Delay(500, ct);
        Assert.Equal(DeviceStatus.Online, (await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(devices[0]), ct))!.Status);
    }

    [Fact]
    public async Task RebootHost_IsOffByDefault_WhenAllowedRunsTheCommand_AndANextStartOnTheSameBootIsNoReboot()
    {
        var data = NewFolder();
        var ran = Path.Combine(data, "rebooted");
        var refusing = await StartAgentAsync("reboot-me", data, Restartable());
        var refused = await WaitForAsync(devices[0], (await RequestAsync(devices[0], new DeviceActionRequest(DeviceActionKind.RebootHost))).Id,
            a => a.State == DeviceActionState.Failed, () => refusing.Output);
        Assert.Contains("Agent:Actions:AllowReboot", refused.Message, StringComparison.Ordinal);
        await refusing.TerminateAsync(ct);
        await refusing.DisposeAsync();

        var allowed = new Dictionary<string, string>(Restartable()) { ["Agent__Actions__AllowReboot"] = "true", ["Agent__Actions__RebootCommand"] = $"echo reboot > '{ran}'" };
        var rebooting = AgentProcess.Start(allowed, "--portal", address.ToString(), "--data-dir", data);
        await rebooting.WaitUntilOnlineAsync(admin, "reboot-me", ct);
        var asked = await RequestAsync(devices[0], new DeviceActionRequest(DeviceActionKind.RebootHost));
        var waiting = await WaitForAsync(devices[0], asked.Id, a => a.Message?.Contains("waiting for the host", StringComparison.Ordinal) == true, () => rebooting.Output);
        Assert.Equal(DeviceActionState.Running, waiting.State);
        Assert.Equal("reboot", (await File.ReadAllTextAsync(ran, ct)).Trim());

        // The host did not really go down: the next start of the agent finds the same boot id and says so.
        await rebooting.TerminateAsync(ct);
        await rebooting.DisposeAsync();
        await using var next = AgentProcess.Start(allowed, "--portal", address.ToString(), "--data-dir", data);
        var outcome = await WaitForAsync(devices[0], asked.Id, a => a.State == DeviceActionState.Failed, () => next.Output);
        Assert.Contains("did not reboot", outcome.Message, StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(AuditActions.DeviceActionFinished), e => e.Outcome == AuditOutcomes.Failure && e.Detail!.Contains("Reboot host", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OfflineDevice_FailsAtOnce_UnlessQueued_AndAQueuedPruneRunsWhenItReturns()
    {
        var data = NewFolder();
        var first = await StartAgentAsync("prune-me", data, KeepsBusybox());
        await first.TerminateAsync(ct);
        await first.DisposeAsync();
        await WaitOfflineAsync(devices[0]);

        var failed = await RequestAsync(devices[0], new DeviceActionRequest(DeviceActionKind.PruneImages));
        Assert.Equal(DeviceActionState.Failed, failed.State);
        Assert.Contains("offline", failed.Message, StringComparison.Ordinal);

        var unused = await ImportUnusedImageAsync();
        var queued = await RequestAsync(devices[0], new DeviceActionRequest(DeviceActionKind.PruneImages, QueueUntilOnline: true, ExpiresInMinutes: 30));
        Assert.Equal(DeviceActionState.Queued, queued.State);
        Assert.NotNull(queued.ExpiresAt);

        await using var back = AgentProcess.Start(KeepsBusybox(), "--portal", address.ToString(), "--data-dir", data);
        var done = await WaitForAsync(devices[0], queued.Id, a => a.State == DeviceActionState.Succeeded, () => back.Output);

        Assert.Matches("Removed [1-9][0-9]* unused image", done.Message!);
        Assert.False(await ImageExistsAsync(unused));
        Assert.True(await ImageExistsAsync("local/busybox:1"));
    }

    [Fact]
    public async Task PrePull_PullsTheDeploymentsPrivateImage_WithItsCredential_AndStartsNothing()
    {
        var registry = TestRegistry.Require();
        var image = await TestRegistry.PushBusyboxAsync("prepull", ct);
        await using var agent = await StartAgentAsync("prepull-me", NewFolder(), KeepsBusybox());
        using (var secret = await admin.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "REGISTRY"),
            new SaveSecretRequest(RegistryPassword, SecretKind.RegistryCredential, registry, RegistryUser), ct))
        {
            secret.EnsureSuccessStatusCode();
        }

        // The deployment goes to another (offline) device: nothing is released to this one, it only fetches the images.
        var other = await ApiClient.EnrollDeviceAsync(admin, "prepull-other", ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("prepull-web", image), ct);
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("prepull-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = "1" }, DeviceIds: [other.DeviceId]), ct);

        var asked = await RequestAsync(devices[0], new DeviceActionRequest(DeviceActionKind.PrePull, DeploymentId: deployment.Id));
        var done = await WaitForAsync(devices[0], asked.Id, a => a.State == DeviceActionState.Succeeded, () => agent.Output);

        Assert.Contains($"Pulled 1 image ({image})", done.Message, StringComparison.Ordinal);
        Assert.True(await ImageExistsAsync(image));
        Assert.Empty(await DockerEngine.ContainersOfAsync(devices[0], ct));
        Assert.DoesNotContain(portal.LogLines, line => line.Contains(RegistryPassword, StringComparison.Ordinal));
        Assert.DoesNotContain(RegistryPassword, agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequests_GetProblemDetails_AndWriteNothing()
    {
        var offline = await ApiClient.EnrollDeviceAsync(admin, "actions-offline", ct);
        (object Body, string Route, HttpStatusCode Status, string Detail)[] cases =
        [
            (new { kind = "FormatDisk", deviceIds = new[] { offline.DeviceId } }, ApiRoutes.DeviceActions, HttpStatusCode.BadRequest, "kind"),
            (new DeviceActionRequest(DeviceActionKind.PruneImages, []), ApiRoutes.DeviceActions, HttpStatusCode.BadRequest, "Choose between 1 and"),
            (new DeviceActionRequest(DeviceActionKind.PruneImages, ["no-such-device"]), ApiRoutes.DeviceActions, HttpStatusCode.BadRequest, "no active device"),
            (new DeviceActionRequest(DeviceActionKind.PrePull, [offline.DeviceId]), ApiRoutes.DeviceActions, HttpStatusCode.BadRequest, "deploymentId"),
            (new DeviceActionRequest(DeviceActionKind.PrePull, [offline.DeviceId], DeploymentId: "nope"), ApiRoutes.DeviceActions, HttpStatusCode.BadRequest, "no deployment"),
            (new DeviceActionRequest(DeviceActionKind.PruneImages, QueueUntilOnline: true, ExpiresInMinutes: 0), ApiRoutes.DeviceActionsOf(offline.DeviceId), HttpStatusCode.BadRequest, "expires after"),
            (new DeviceActionRequest(DeviceActionKind.PruneImages), ApiRoutes.DeviceActionsOf("no-such-device"), HttpStatusCode.NotFound, "no such device"),
        ];
        foreach (var (body, route, status, detail) in cases)
        {
            using var response = await admin.PostAsJsonAsync(route, body, ct);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, await response.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty((await admin.GetFromJsonAsync<List<DeviceActionDto>>(ApiRoutes.DeviceActions, ct))!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in devices)
        {
            await DockerEngine.RemoveContainersOfAsync(device);
        }

        admin.Dispose();
        await portal.DisposeAsync();
        foreach (var dir in temporary.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string RegistryUser => TestRegistry.User;

    private static string RegistryPassword => TestRegistry.Password;

    private static Dictionary<string, string> Restartable() => new(DeploymentTests.AgentEnvironment()) { ["Agent__Actions__Restartable"] = "true" };

    /// <summary>The image every test runs from stays, whatever this class prunes.</summary>
    private static Dictionary<string, string> KeepsBusybox() => new(Restartable()) { ["Agent__Actions__KeepImages__0"] = "local/busybox:1" };

    private string NewFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "portal-action-tests", Guid.NewGuid().ToString("N"));
        temporary.Add(dir);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private async Task<AgentProcess> StartAgentAsync(string name, string data, Dictionary<string, string> environment)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
        var agent = AgentProcess.Start(environment, "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", name);
        devices.Add(await agent.WaitUntilOnlineAsync(admin, name, ct));
        return agent;
    }

    private async Task<DeviceActionDto> RequestAsync(string device, DeviceActionRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.DeviceActionsOf(device), request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<DeviceActionDto>(ct))!;
    }

    private async Task<DeviceActionDto> WaitForAsync(string device, long id, Func<DeviceActionDto, bool> done, Func<string> output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        DeviceActionDto? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await admin.GetFromJsonAsync<List<DeviceActionDto>>(ApiRoutes.DeviceActionsOf(device), ct))!.Single(a => a.Id == id);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"Action {id} stayed {last?.State}: {last?.Message}\n{output()}");
    }

    private async Task WaitOfflineAsync(string device)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(device), ct))!.Status != DeviceStatus.Offline)
        {
            Assert.True(DateTime.UtcNow < deadline, "The stopped agent's device did not go offline.");
            await Task.Delay(200, ct);
        }
    }

    private async Task<List<AuditEntryDto>> AuditAsync(string action) =>
        [.. (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={action}", ct))!.Items];

    /// <summary>A tiny image of its own (one file, imported), used by no container and named by no deployment.</summary>
    private async Task<string> ImportUnusedImageAsync()
    {
        var folder = NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "unused.txt"), Guid.NewGuid().ToString(), ct);
        var image = $"local/unused-{Guid.NewGuid():N}:1";
        var tar = Path.Combine(folder, "image.tar");
        using (var pack = Process.Start(new ProcessStartInfo("tar", ["-cf", tar, "-C", folder, "unused.txt"]))!)
        {
            await pack.WaitForExitAsync(ct);
        }

        await DockerEngine.RunAsync(ct, "import", tar, image);
        Assert.True(await ImageExistsAsync(image));
        return image;
    }

    private async Task<bool> ImageExistsAsync(string image)
    {
        try
        {
            await DockerEngine.RunAsync(ct, "image", "inspect", "--format", "{{.Id}}", image);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

using System.Globalization;
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

/// <summary>
/// A group's config change rolled out with a strategy to two real agents: a device not released keeps the values before
/// the change (its container untouched), pause and resume work, and a change that makes the app fail is rolled back by
/// the failure threshold (the group's values written back, the second device never touched).
/// </summary>
public sealed class ConfigRolloutTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly List<string> devices = [];
    private readonly List<string> agentData = [];
    private readonly List<AgentProcess> agents = [];
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task RollingChange_Paused_KeepsTheHeldDeviceOnTheOldValue_ResumeFinishesIt()
    {
        DockerEngine.RequireEndpoint();
        // PORT is the app's int parameter, filled per device from its config (checked per device when deploying).
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("roll-web"), ct);
        var group = await GroupOfTwoAsync("roll");
        var ports = new Dictionary<string, int>();
        foreach (var device in devices)
        {
            ports[device] = AgentProcess.FreeLoopbackPort();
            await PutAsync(ApiRoutes.DeviceConfig(device), new() { ["PORT"] = Text(ports[device]) });
        }

        await PutAsync(ApiRoutes.GroupConfig(group), new() { ["GREETING"] = "v1" });
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("roll-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = "${config:PORT}", ["GREETING"] = "${config:GREETING}" }, GroupIds: [group]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: Output);
        using var http = new HttpClient();
        foreach (var device in devices)
        {
            await WaitUntilAsync(async () => await TryGetAsync(http, ports[device]) == "hello-from-v1");
        }

        var rolloutId = (await PutAsync(ApiRoutes.GroupConfig(group), new() { ["GREETING"] = "v2" },
            new RolloutStrategy(RolloutKind.Rolling, BatchSize: 1, DeviceTimeoutSeconds: 90))).RolloutId!;
        using (var paused = await admin.PostAsync(ApiRoutes.ConfigRollout(rolloutId) + "/pause", null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        }

        // A second change of the same level while the first is rolling out is refused: held devices would skip a step.
        using (var busy = await admin.PutAsJsonAsync(ApiRoutes.GroupConfig(group), new SaveConfigSetRequest(new Dictionary<string, string> { ["GREETING"] = "v3" }, null), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        }

        // Paused at once, so at most the first batch (one device) was released; it settles, the other stays held.
        var settled = await WaitForRolloutAsync(rolloutId, r => r.State == DeploymentState.Paused && r.Devices.All(d => d.ReleasedAt is null || d.State == DeviceRolloutState.Running));
        var held = settled.Devices.Where(d => d.ReleasedAt is null).Select(d => d.DeviceId).ToList();
        Assert.NotEmpty(held);
        await Task.Delay(TimeSpan.FromSeconds(4), ct);
        foreach (var device in devices)
        {
            var expected = held.Contains(device) ? "hello-from-v1" : "hello-from-v2";
            await WaitUntilAsync(async () => await TryGetAsync(http, ports[device]) == expected);
        }

        using (var resumed = await admin.PostAsync(ApiRoutes.ConfigRollout(rolloutId) + "/resume", null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        var done = await WaitForRolloutAsync(rolloutId, r => r.State == DeploymentState.Completed);
        Assert.All(done.Devices, d => Assert.Equal(DeviceRolloutState.Running, d.State));
        foreach (var device in devices)
        {
            await WaitUntilAsync(async () => await TryGetAsync(http, ports[device]) == "hello-from-v2");
        }

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?pageSize=200", ct))!.Items;
        Assert.Contains(audit, e => e.Action == AuditActions.ConfigRolloutPaused && e.ActorName == PortalFactory.AdminEmail);
        Assert.Contains(audit, e => e.Action == AuditActions.ConfigRolloutResumed);
        Assert.Contains(audit, e => e.Action == AuditActions.ConfigChanged && (e.Detail ?? "").Contains("rolling out to 2 devices", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangeThatBreaksTheApp_CrossesTheThreshold_IsRolledBack_TheOtherDeviceNeverTouched()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("roll-flaky"), ct);
        var group = await GroupOfTwoAsync("break");
        await PutAsync(ApiRoutes.GroupConfig(group), new() { ["FAIL_IDS"] = "none" });
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("roll-flaky", "1",
            Parameters: new Dictionary<string, string> { ["FAIL_IDS"] = "${config:FAIL_IDS}" }, GroupIds: [group]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: Output);
        var containers = new Dictionary<string, string>();
        foreach (var device in devices)
        {
            containers[device] = (await DockerEngine.ContainersOfAsync(device, ct)).Single();
        }

        var rolloutId = (await PutAsync(ApiRoutes.GroupConfig(group), new() { ["FAIL_IDS"] = string.Join(' ', devices) },
            new RolloutStrategy(RolloutKind.Rolling, BatchSize: 1, FailureThresholdPercent: 0, OnFailure: FailureAction.Rollback, DeviceTimeoutSeconds: 90))).RolloutId!;

        var rolledBack = await WaitForRolloutAsync(rolloutId, r => r.State == DeploymentState.RolledBack);
        Assert.Contains("above the 0% threshold", rolledBack.StateReason, StringComparison.Ordinal);
        var tried = Assert.Single(rolledBack.Devices, d => d.ReleasedAt is not null);
        var untouched = Assert.Single(devices, d => d != tried.DeviceId);
        Assert.Equal("none", (await admin.GetFromJsonAsync<ConfigSetDto>(ApiRoutes.GroupConfig(group), ct))!.Values["FAIL_IDS"]);

        // The tried device runs the values before the change again; the other one kept its container throughout.
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: Output);
        await WaitUntilAsync(async () => (await DockerEngine.ContainersOfAsync(tried.DeviceId, ct)).SingleOrDefault() is { } id
            && id != containers[tried.DeviceId] && (await DockerEngine.InspectAsync(id, "{{.State.Running}} {{.RestartCount}}", ct)).Trim() == "true 0");
        Assert.Equal([containers[untouched]], await DockerEngine.ContainersOfAsync(untouched, ct));
        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.ConfigRolloutRolledBack}", ct))!.Items;
        Assert.Contains(audit, e => e.ActorKind == AuditActor.SystemKind && (e.Detail ?? "").Contains("above the 0% threshold", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupWithoutDevices_ChangeRolledOutGradually_IsCompletedAtOnce_AndTheLevelCanChangeAgain()
    {
        // Once such a rollout stayed In progress for ever, and every later change of the group was refused as busy.
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("empty-line", StaticMembers: []), ct);
        created.EnsureSuccessStatusCode();
        var group = (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
        var strategy = new RolloutStrategy(RolloutKind.Rolling, BatchSize: 1);

        var first = await PutAsync(ApiRoutes.GroupConfig(group), new() { ["GREETING"] = "v1" }, strategy);
        var rollout = (await admin.GetFromJsonAsync<ConfigRolloutDto>(ApiRoutes.ConfigRollout(first.RolloutId!), ct))!;
        Assert.Equal(DeploymentState.Completed, rollout.State);
        Assert.Empty(rollout.Devices);
        Assert.Contains("applied at once", rollout.StateReason, StringComparison.Ordinal);

        var second = await PutAsync(ApiRoutes.GroupConfig(group), new() { ["GREETING"] = "v2" }, strategy);
        Assert.Equal("v2", second.Values["GREETING"]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var device in devices)
        {
            await DockerEngine.RemoveContainersOfAsync(device);
        }

        admin.Dispose();
        await portal.DisposeAsync();
        foreach (var dir in agentData.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private string Output() => string.Join("\n---\n", agents.Select(a => a.Output));

    private async Task<string> GroupOfTwoAsync(string prefix)
    {
        foreach (var name in new[] { $"{prefix}-a", $"{prefix}-b" })
        {
            await StartAgentAsync(name);
        }

        using var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest($"{prefix}-line", StaticMembers: [.. devices]), ct);
        group.EnsureSuccessStatusCode();
        return (await group.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
    }

    private async Task<ConfigRolloutDto> WaitForRolloutAsync(string id, Func<ConfigRolloutDto, bool> done)
    {
        ConfigRolloutDto? last = null;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            last = (await admin.GetFromJsonAsync<ConfigRolloutDto>(ApiRoutes.ConfigRollout(id), ct))!;
            if (done(last))
            {
                return last;
            }

            await Task.Delay(250, ct);
        }

        Assert.Fail($"The config rollout did not get there: {System.Text.Json.JsonSerializer.Serialize(last)}\nAgents:\n{Output()}");
        return last!;
    }

    private async Task<string?> TryGetAsync(HttpClient http, int port)
    {
        try
        {
            return (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private async Task<ConfigSetDto> PutAsync(string route, Dictionary<string, string> values, RolloutStrategy? rollout = null)
    {
        using var response = await admin.PutAsJsonAsync(route, new SaveConfigSetRequest(values, null, rollout), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ConfigSetDto>(ct))!;
    }

    private async Task StartAgentAsync(string name)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
        var data = Path.Combine(Path.GetTempPath(), "portal-config-rollout-tests", Guid.NewGuid().ToString("N"));
        agentData.Add(data);
        var agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", name);
        agents.Add(agent);
        await WaitUntilAsync(async () =>
        {
            var found = (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.FirstOrDefault(d => d.Name == name && d.Status == DeviceStatus.Online);
            if (found is not null)
            {
                devices.Add(found.Id);
            }

            return found is not null;
        });
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out. The agents printed:\n" + Output());
            await Task.Delay(250, ct);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// <c>${config:KEY}</c> and <c>${secret:NAME}</c> resolved per device: layered values reach a real container through a
/// real agent, a config change recreates only the container that uses it, the plain secret is nowhere but in the
/// container, and a deployment referencing a key a device lacks is refused naming both.
/// </summary>
public sealed class ConfigResolutionTests : IAsyncLifetime
{
    private const string Secret = "c0nfig-Secret-Token-91";

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly List<string> devices = [];
    private readonly List<string> agentData = [];
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task LayeredConfigAndSecret_ReachARealContainer_AChangeRecreatesOnlyTheContainerUsingIt()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("cfg-web"), ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("plain-web"), ct);
        await using var agent = await StartAgentAsync("cfg-agent");
        var device = devices[0];
        using (var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("cfg-site", StaticMembers: [device]), ct))
        {
            var groupId = (await group.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
            await PutAsync(ApiRoutes.FleetConfig, new() { ["SITE"] = "fleet", ["COLOR"] = "blue" });
            await PutAsync(ApiRoutes.GroupConfig(groupId), new() { ["SITE"] = "madrid" });
            await PutAsync(ApiRoutes.DeviceConfig(device), new() { ["COLOR"] = "red" });
        }

        using (var secret = await admin.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "TOKEN"), new SaveSecretRequest(Secret), ct))
        {
            secret.EnsureSuccessStatusCode();
        }

        var (configured, plain) = (AgentProcess.FreeLoopbackPort(), AgentProcess.FreeLoopbackPort());
        var first = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("cfg-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = Text(configured), ["GREETING"] = "${config:SITE}-${config:COLOR}-${secret:TOKEN}" }, DeviceIds: [device]), ct);
        var second = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("plain-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = Text(plain), ["GREETING"] = "plain" }, DeviceIds: [device]), ct);
        await DeploymentApi.WaitForAsync(admin, first.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);
        await DeploymentApi.WaitForAsync(admin, second.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);
        using var http = new HttpClient();
        Assert.Equal($"hello-from-madrid-red-{Secret}", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{configured}/"), ct)).Trim());
        var before = await ContainersByNameAsync(device);

        await PutAsync(ApiRoutes.DeviceConfig(device), new() { ["COLOR"] = "green" });
        await WaitUntilAsync(async () => (await TryGetAsync(http, configured)) == $"hello-from-madrid-green-{Secret}", agent);

        var after = await ContainersByNameAsync(device);
        Assert.Equal(before["plain-web"], after["plain-web"]);
        Assert.NotEqual(before["cfg-web"], after["cfg-web"]);
        foreach (var id in after.Values)
        {
            Assert.DoesNotContain(Secret, await DockerEngine.InspectAsync(id, "{{json .Config.Labels}}", ct), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Secret, agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.LogLines, line => line.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, await admin.GetStringAsync(ApiRoutes.DeviceWorkloads(device), ct), StringComparison.Ordinal);
        if (!portal.OnPostgres)
        {
            Assert.DoesNotContain(Directory.EnumerateFiles(portal.DataDirectory, "*", SearchOption.AllDirectories), f => ReadShared(f).Contains(Secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ConfigFile_NamedByTheApp_IsMountedReadOnlyAtAppconfig_AndFollowsChanges()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, new Portal.Shared.Marketplace.AppDefinition(
            "file-web", "Config file server", "Edge Portal tests", "Testing", "Serves its config file.", null,
            [
                new Portal.Shared.Marketplace.AppVersion("1", "local/busybox:1",
                    ["sh", "-c", "mkdir -p /www && cp /appconfig/site.conf /www/index.html && (touch /appconfig/x 2>/dev/null || echo \" read-only\" >> /www/index.html) && exec httpd -f -p 127.0.0.1:${PORT} -h /www"],
                    Parameters: [new Portal.Shared.Marketplace.AppParameter("PORT", "int", Required: true)]),
            ]), ct);
        await using var agent = await StartAgentAsync("file-agent");
        var device = devices[0];
        await PutFilesAsync(ApiRoutes.FleetConfig, new() { ["site.conf"] = "site=fleet" });
        await PutFilesAsync(ApiRoutes.DeviceConfig(device), new() { ["site.conf"] = "site=device", ["unused.conf"] = "x" });
        var port = AgentProcess.FreeLoopbackPort();

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("file-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = Text(port) }, DeviceIds: [device]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);
        using var http = new HttpClient();
        Assert.Equal("site=device read-only", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim());

        await PutFilesAsync(ApiRoutes.DeviceConfig(device), new() { ["unused.conf"] = "x" });
        await WaitUntilAsync(async () => (await TryGetAsync(http, port)) == "site=fleet read-only", agent);
    }

    [Fact]
    public async Task LiveConfigApp_FileChange_ReachesTheRunningContainerInPlace_WithoutRecreatingIt()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, new Portal.Shared.Marketplace.AppDefinition(
            "live-web", "Live config file server", "Edge Portal tests", "Testing", "Serves its config folder as it is now.", null,
            [
                new Portal.Shared.Marketplace.AppVersion("1", "local/busybox:1",
                    ["sh", "-c", "exec httpd -f -p 127.0.0.1:${PORT} -h /appconfig"],
                    Environment: new Dictionary<string, string> { ["SITE_FILE"] = "/appconfig/site.conf" },
                    Parameters: [new Portal.Shared.Marketplace.AppParameter("PORT", "int", Required: true)],
                    LiveConfig: true),
            ]), ct);
        await using var agent = await StartAgentAsync("live-agent");
        var device = devices[0];
        await PutFilesAsync(ApiRoutes.DeviceConfig(device), new() { ["site.conf"] = "site=v1" });
        var port = AgentProcess.FreeLoopbackPort();
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("live-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = Text(port) }, DeviceIds: [device]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);
        using var http = new HttpClient();
        await WaitUntilAsync(async () => (await TryGetAsync(http, port, "site.conf")) == "site=v1", agent);
        var container = Assert.Single(await DockerEngine.ContainersOfAsync(device, ct));

        await PutFilesAsync(ApiRoutes.DeviceConfig(device), new() { ["site.conf"] = "site=v2" });

        await WaitUntilAsync(async () => (await TryGetAsync(http, port, "site.conf")) == "site=v2", agent);
        Assert.Equal([container], await DockerEngine.ContainersOfAsync(device, ct));
        Assert.Contains("updated in place (live config)", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployment_ReferencingAKeyADeviceLacks_IsRefusedNamingTheKeyAndTheDevice()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("needs-config"), ct);
        var has = (await ApiClient.EnrollDeviceAsync(admin, "has-key", ct)).DeviceId;
        var lacks = (await ApiClient.EnrollDeviceAsync(admin, "lacks-key", ct)).DeviceId;
        await PutAsync(ApiRoutes.DeviceConfig(has), new() { ["ONLY_HERE"] = "x" });
        var request = new CreateDeploymentRequest("needs-config", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = "8080", ["GREETING"] = "${config:ONLY_HERE}${secret:NOWHERE}" }, DeviceIds: [has, lacks]);

        using var check = await admin.PostAsJsonAsync(ApiRoutes.DeploymentCheck, request, ct);
        using var create = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct);

        var checkedDevices = (await check.Content.ReadFromJsonAsync<DeploymentCheck>(ct))!.Devices.ToDictionary(d => d.DeviceName);
        Assert.Equal([DeviceCheckReason.ConfigMissing], checkedDevices["lacks-key"].Problems.Select(p => p.Reason));
        Assert.Contains("lacks-key lacks ${config:ONLY_HERE}, ${secret:NOWHERE}", checkedDevices["lacks-key"].Why, StringComparison.Ordinal);
        Assert.Contains("has-key lacks ${secret:NOWHERE}", checkedDevices["has-key"].Why, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, create.StatusCode);
        Assert.Contains("lacks-key lacks ${config:ONLY_HERE}", await create.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntParameterFromConfig_AcceptedAsAReference_RefusedOnTheDeviceWhoseValueIsNotAWholeNumber()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("typed-config"), ct);
        var good = (await ApiClient.EnrollDeviceAsync(admin, "typed-good", ct)).DeviceId;
        var bad = (await ApiClient.EnrollDeviceAsync(admin, "typed-bad", ct)).DeviceId;
        await PutAsync(ApiRoutes.DeviceConfig(good), new() { ["PORT"] = "8081" });
        await PutAsync(ApiRoutes.DeviceConfig(bad), new() { ["PORT"] = "http" });
        var request = new CreateDeploymentRequest("typed-config", "1", Parameters: new Dictionary<string, string> { ["PORT"] = "${config:PORT}" }, DeviceIds: [good, bad]);

        using var check = await admin.PostAsJsonAsync(ApiRoutes.DeploymentCheck, request, ct);
        using var create = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct);
        using var literal = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request with { Parameters = new Dictionary<string, string> { ["PORT"] = "http" } }, ct);

        var checkedDevices = (await check.Content.ReadFromJsonAsync<DeploymentCheck>(ct))!.Devices.ToDictionary(d => d.DeviceName);
        Assert.Empty(checkedDevices["typed-good"].Problems);
        Assert.Equal([DeviceCheckReason.ConfigInvalid], checkedDevices["typed-bad"].Problems.Select(p => p.Reason));
        Assert.Contains("On typed-bad, ${config:PORT} is 'http', not a whole number as the parameter PORT needs", checkedDevices["typed-bad"].Why, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, create.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, literal.StatusCode);
        Assert.Contains("must be a whole number, not 'http'", await literal.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployment_SkippingIneligible_ReleasesTheDevicesWithTheKey_AndSkipsTheOthersSayingWhich()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("skips-config"), ct);
        var has = (await ApiClient.EnrollDeviceAsync(admin, "has-key-2", ct)).DeviceId;
        var lacks = (await ApiClient.EnrollDeviceAsync(admin, "lacks-key-2", ct)).DeviceId;
        await PutAsync(ApiRoutes.DeviceConfig(has), new() { ["ONLY_HERE"] = "x" });

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("skips-config", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = "8080", ["GREETING"] = "${config:ONLY_HERE}" }, DeviceIds: [has, lacks], SkipIneligible: true), ct);

        var done = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.Devices!.Count == 2 && d.Devices.All(x => x.ReleasedAt is not null || x.State == DeviceRolloutState.Skipped), ct);
        var byId = done.Devices!.ToDictionary(d => d.DeviceId);
        Assert.Equal(DeviceRolloutState.Skipped, byId[lacks].State);
        Assert.Contains("lacks ${config:ONLY_HERE}", byId[lacks].Reason, StringComparison.Ordinal);
        Assert.NotEqual(DeviceRolloutState.Skipped, byId[has].State);
        Assert.NotNull(byId[has].ReleasedAt);
    }

    public async ValueTask DisposeAsync()
    {
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

    private static string ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return reader.ReadToEnd();
    }

    private async Task<string?> TryGetAsync(HttpClient http, int port, string path = "")
    {
        try
        {
            return (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/{path}"), ct)).Trim();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private async Task<Dictionary<string, string>> ContainersByNameAsync(string device)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in await DockerEngine.ContainersOfAsync(device, ct))
        {
            byName[(await DockerEngine.InspectAsync(id, "{{index .Config.Labels \"io.edgeportal.workload\"}}", ct)).Trim()] = id;
        }

        return byName;
    }

    private async Task PutFilesAsync(string route, Dictionary<string, string> files)
    {
        using var response = await admin.PutAsJsonAsync(route, new SaveConfigSetRequest(null, files), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task PutAsync(string route, Dictionary<string, string> values)
    {
        using var response = await admin.PutAsJsonAsync(route, new SaveConfigSetRequest(values, null), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<AgentProcess> StartAgentAsync(string name)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
        var data = Path.Combine(Path.GetTempPath(), "portal-config-tests", Guid.NewGuid().ToString("N"));
        agentData.Add(data);
        var agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", name);
        await WaitUntilAsync(async () =>
        {
            var found = (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.FirstOrDefault(d => d.Name == name && d.Status == DeviceStatus.Online);
            if (found is not null)
            {
                devices.Add(found.Id);
            }

            return found is not null;
        }, agent);
        return agent;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out. The agent printed:\n" + agent.Output);
            await Task.Delay(250, ct);
        }
    }
}

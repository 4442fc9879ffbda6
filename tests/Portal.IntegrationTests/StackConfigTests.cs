using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Stack services get what single containers get, through the real portal, a real agent and the real engine: a group
/// config value, a config file and a secret in one service, another secret as a file at /run/secrets/ (from the agent's
/// tmpfs, never in the container's environment or labels, the agent's log or its data folder); a config change
/// recreates only that service.
/// </summary>
public sealed class StackConfigTests : IAsyncLifetime
{
    private const string EnvSecret = "st4ck-Env-Secret-27";
    private const string FileSecret = "st4ck-File-Secret-83";

    private const string Compose = """
        services:
          web:
            image: local/busybox:1
            command: ["sh", "-c", "mkdir -p /www && echo \"$SITE-$TOKEN-$(cat /run/secrets/FILEKEY)-$(cat /appconfig/site.conf)\" > /www/index.html && exec httpd -f -p 127.0.0.1:${PORT} -h /www"]
            environment:
              SITE: ${config:SITE}
              TOKEN: ${secret:TOKEN}
            depends_on: [dep]
          dep:
            image: local/busybox:1
            command: ["sleep", "3600"]
            secrets: [FILEKEY]
        secrets:
          FILEKEY:
            external: true
        """;

    private static readonly Dictionary<string, string> Files = new() { ["site.conf"] = "cfg" };

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-stack-config-tests", Guid.NewGuid().ToString("N"));
    private readonly string secretsDirectory = Path.Combine("/dev/shm", "portal-stack-config-tests-" + Guid.NewGuid().ToString("N"));
    private Uri address = default!;
    private HttpClient admin = default!;
    private string? deviceId;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task StackService_GetsGroupConfigAndSecrets_SecretFileOnlyInTheContainer_AndAConfigChangeRecreatesOnlyIt()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, new AppDefinition(
            "stack-config", "Stack config", "Edge Portal tests", "Testing", "Serves its config and secrets.", null,
            [new AppVersion("1", "", Parameters: [new AppParameter("PORT", "int", Required: true)], Compose: Compose)]), ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "stack-config-1", ct);
        var environment = DeploymentTests.AgentEnvironment();
        environment["Agent__SecretsDirectory"] = secretsDirectory;
        await using var agent = AgentProcess.Start(environment, "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "stack-config-1");
        deviceId = await OnlineAsync("stack-config-1", agent);
        string groupId;
        using (var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("stack-site", StaticMembers: [deviceId]), ct))
        {
            groupId = (await group.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
        }

        await PutAsync(ApiRoutes.GroupConfig(groupId), new SaveConfigSetRequest(new Dictionary<string, string> { ["SITE"] = "lisbon" }, Files));
        await PutAsync(ApiRoutes.Secret(ApiRoutes.GroupSecrets(groupId), "TOKEN"), new SaveSecretRequest(EnvSecret));
        await PutAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "FILEKEY"), new SaveSecretRequest(FileSecret));
        var port = AgentProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("stack-config", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port }, DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => agent.Output);
        using var http = new HttpClient();
        string? answer = null;
        await WaitUntilAsync(async () => (answer = await TryGetAsync(http, port)) == $"lisbon-{EnvSecret}-{FileSecret}-cfg", "the web service to answer", agent, () => answer);
        var (dep, web) = (await ContainerOfAsync("dep"), await ContainerOfAsync("web"));

        // The file secret: only in the container's mount (read-only), not its environment, labels or command.
        var inspected = await DockerEngine.InspectAsync(web, "{{json .}}", ct);
        Assert.DoesNotContain(FileSecret, inspected, StringComparison.Ordinal);
        Assert.Contains(":/run/secrets:ro", await DockerEngine.InspectAsync(web, "{{json .HostConfig.Binds}}", ct), StringComparison.Ordinal);
        Assert.DoesNotContain(EnvSecret, await DockerEngine.InspectAsync(web, "{{json .Config.Labels}}", ct), StringComparison.Ordinal);
        Assert.DoesNotContain(FileSecret, agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EnvSecret, agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.LogLines, line => line.Contains(FileSecret, StringComparison.Ordinal) || line.Contains(EnvSecret, StringComparison.Ordinal));
        // The agent keeps what it must run in one owner-only file (the 0600 copy); nothing else there holds the secret.
        var stateFile = Path.Combine(agentData, "desired-state.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stateFile));
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(agentData, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith("desired-state.json", StringComparison.Ordinal)),
            f => File.ReadAllText(f).Contains(FileSecret, StringComparison.Ordinal));
        // Compose's secrets: short syntax gives the dependency the same file without naming its path.
        Assert.Equal(FileSecret, (await DockerEngine.RunAsync(ct, "exec", dep, "cat", "/run/secrets/FILEKEY")).Trim());

        // Where it does live on the host: the agent's secrets folder on a tmpfs (memory), bound into the container.
        Assert.All(Directory.EnumerateFiles(secretsDirectory, "FILEKEY", SearchOption.AllDirectories), f => Assert.Equal(FileSecret, File.ReadAllText(f)));
        Assert.Contains(File.ReadLines("/proc/mounts"), line => line.Split(' ') is [_, "/dev/shm", "tmpfs", ..]);

        await PutAsync(ApiRoutes.GroupConfig(groupId), new SaveConfigSetRequest(new Dictionary<string, string> { ["SITE"] = "porto" }, Files));
        await WaitUntilAsync(async () => await TryGetAsync(http, port) == $"porto-{EnvSecret}-{FileSecret}-cfg", "the web service to follow the config change", agent);
        Assert.Equal(dep, await ContainerOfAsync("dep"));
        Assert.NotEqual(web, await ContainerOfAsync("web"));
    }

    [Fact]
    public async Task SingleApp_AskingForASecretFile_ReadsItThere_AndNowhereElseHoldsIt()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, new AppDefinition(
            "secret-file-web", "Secret file server", "Edge Portal tests", "Testing", "Serves its secret file.", null,
            [
                new AppVersion("1", "local/busybox:1",
                    ["sh", "-c", "mkdir -p /www && cp /run/secrets/FILEKEY /www/index.html && (touch /run/secrets/FILEKEY 2>/dev/null || echo \" read-only\" >> /www/index.html) && exec httpd -f -p 127.0.0.1:${PORT} -h /www"],
                    Parameters: [new AppParameter("PORT", "int", Required: true)]),
            ]), ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "secret-file-1", ct);
        var environment = DeploymentTests.AgentEnvironment();
        environment["Agent__SecretsDirectory"] = secretsDirectory;
        await using var agent = AgentProcess.Start(environment, "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "secret-file-1");
        deviceId = await OnlineAsync("secret-file-1", agent);
        await PutAsync(ApiRoutes.Secret(ApiRoutes.DeviceSecrets(deviceId), "FILEKEY"), new SaveSecretRequest(FileSecret));
        var port = AgentProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("secret-file-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port }, DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => agent.Output);
        using var http = new HttpClient();
        string? answer = null;
        await WaitUntilAsync(async () => (answer = await TryGetAsync(http, port)) == $"{FileSecret} read-only", "the app to serve its secret file", agent, () => answer);

        var container = Assert.Single(await DockerEngine.ContainersOfAsync(deviceId, ct));
        Assert.DoesNotContain(FileSecret, await DockerEngine.InspectAsync(container, "{{json .}}", ct), StringComparison.Ordinal);
        Assert.DoesNotContain(FileSecret, agent.Output, StringComparison.Ordinal);

        using (var deleted = await admin.DeleteAsync(ApiRoutes.Deployment(deployment.Id), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // The secret goes with its container: nothing of it stays in memory on the device.
        await WaitUntilAsync(async () => (await DockerEngine.ContainersOfAsync(deviceId, ct)).Count == 0, "the container to be removed", agent);
        Assert.Empty(Directory.EnumerateFiles(secretsDirectory, "*", SearchOption.AllDirectories));
    }

    private async Task PutAsync<T>(string route, T body)
    {
        using var response = await admin.PutAsJsonAsync(route, body, ct);
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private async Task<string> ContainerOfAsync(string service) =>
        Assert.Single((await DockerEngine.RunAsync(ct, "ps", "-aq", "--no-trunc", "--filter", $"label=io.edgeportal.agent={deviceId}", "--filter", $"label=io.edgeportal.service={service}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries));

    private async Task<string?> TryGetAsync(HttpClient http, string port)
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

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, AgentProcess agent, Func<string?>? last = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited in vain for {what} (last: {last?.Invoke()}):\n{agent.Output}");
            await Task.Delay(250, ct);
        }
    }

    private async Task<string> OnlineAsync(string name, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if ((await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.FirstOrDefault(d => d.Name == name && d.Status == DeviceStatus.Online) is { } device)
            {
                return device.Id;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Agent {name} did not come online:\n{agent.Output}");
            await Task.Delay(200, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (deviceId is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(deviceId);
        }

        admin.Dispose();
        await portal.DisposeAsync();
        foreach (var dir in new[] { agentData, secretsDirectory }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using System.Globalization;
using System.Net.Http.Json;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// A private registry for real (test.sh starts Debian's docker-registry with htpasswd users): the busybox image is
/// pushed there and removed from the engine, so the agent must pull it with the registry credential the portal sends.
/// A wrong password leaves the workload Failed with the registry's reason; no password reaches a log.
/// </summary>
public sealed class RegistryPullTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly List<string> devices = [];
    private readonly List<string> temporary = [];
    private Uri address = default!;
    private HttpClient admin = default!;

    private static string? Registry => TestRegistry.Address;

    private static string User => TestRegistry.User;

    private static string Password => TestRegistry.Password;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task PrivateImage_GoodCredential_IsPulledAndRuns()
    {
        var image = await PushAsync();
        await using var agent = await StartAgentAsync("registry-good");
        await SetCredentialAsync(ApiRoutes.FleetSecrets, Password);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("private-web", image), ct);
        var port = AgentProcess.FreeLoopbackPort();

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("private-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port.ToString(CultureInfo.InvariantCulture), ["GREETING"] = "private" }, DeviceIds: [devices[0]]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => agent.Output);

        using var http = new HttpClient();
        Assert.Equal("hello-from-private", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim());
        Assert.Contains($"docker pull {image} (as {User} on {Registry})", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.LogLines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivateImage_WrongPassword_FailsWithTheRegistrysReason()
    {
        const string Wrong = "Wr0ng-Registry-Password";
        var image = await PushAsync();
        await using var agent = await StartAgentAsync("registry-wrong");
        await SetCredentialAsync(ApiRoutes.DeviceSecrets(devices[0]), Wrong);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("private-wrong", image), ct);

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("private-wrong", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = "1", ["GREETING"] = "x" }, DeviceIds: [devices[0]]), ct);
        var failed = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Failed), ct, 90, () => agent.Output);

        var reason = failed.Devices!.Single().Reason ?? "";
        Assert.Contains("unauthorized", reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Wrong, agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.LogLines, line => line.Contains(Wrong, StringComparison.Ordinal));
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

    private Task<string> PushAsync() => TestRegistry.PushBusyboxAsync("busybox", ct);

    private async Task SetCredentialAsync(string secretsRoute, string password)
    {
        using var set = await admin.PutAsJsonAsync(ApiRoutes.Secret(secretsRoute, "REGISTRY"), new SaveSecretRequest(password, SecretKind.RegistryCredential, Registry, User), ct);
        set.EnsureSuccessStatusCode();
    }

    private async Task<AgentProcess> StartAgentAsync(string name)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
        var data = Path.Combine(Path.GetTempPath(), "portal-registry-tests", Guid.NewGuid().ToString("N"));
        temporary.Add(data);
        var agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", name);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.FirstOrDefault(d => d.Name == name && d.Status == DeviceStatus.Online) is { } device)
            {
                devices.Add(device.Id);
                return agent;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"Agent {name} did not come online:\n{agent.Output}");
    }
}

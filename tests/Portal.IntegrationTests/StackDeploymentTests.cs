using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// A two-service stack through the real portal, a real agent process and the real engine (run with --bridge=none, so
/// the services share the host's network): the httpd waits for its dependency to be healthy, a new version changes only
/// the httpd (the dependency's container stays), and removing the deployment removes both.
/// </summary>
public sealed class StackDeploymentTests : IAsyncLifetime
{
    private const string Compose = """
        services:
          web:
            image: local/busybox:1
            command: ["sh", "-c", "mkdir -p /www && echo GREETING-${GREETING} > /www/index.html && exec httpd -f -p 127.0.0.1:${PORT} -h /www"]
            depends_on:
              dep:
                condition: service_healthy
          dep:
            image: local/busybox:1
            command: ["sh", "-c", "sleep 2 && touch /tmp/ready && exec sleep 3600"]
            healthcheck:
              test: ["CMD", "test", "-f", "/tmp/ready"]
              interval: 1s
              timeout: 1s
              retries: 30
        """;

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-stack-tests", Guid.NewGuid().ToString("N"));
    private Uri address = default!;
    private HttpClient admin = default!;
    private string? deviceId;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Stack_RunsInDependencyOrder_UpdatesOnlyTheChangedService_AndGoesWithItsDeployment()
    {
        var parameters = new[] { new AppParameter("PORT", "int", Required: true), new AppParameter("GREETING", "string", "edge") };
        await DeploymentApi.CreateCertifiedAppAsync(admin, new AppDefinition(
            "stack-demo", "Stack demo", "Edge Portal tests", "Testing", "A web server behind a healthy dependency.", null,
            [
                new AppVersion("1", "", Parameters: parameters, Compose: Compose),
                new AppVersion("2", "", Parameters: parameters, Compose: Compose.Replace("GREETING-", "V2-", StringComparison.Ordinal)),
            ]), ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "stack-1", ct);
        await using var agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "stack-1");
        deviceId = await OnlineAsync("stack-1", agent);
        var port = AgentProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("stack-demo", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port }, DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.Completed && DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => agent.Output);

        var stack = Assert.Single((await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(deviceId), ct))!.Workloads);
        Assert.Equal((WorkloadKind.Stack, "stack-demo", WorkloadState.Running), (stack.Kind, stack.Name, stack.State));
        Assert.Equal([("dep", WorkloadState.Running, "healthy"), ("web", WorkloadState.Running, null)],
            stack.Services!.OrderBy(s => s.Service, StringComparer.Ordinal).Select(s => (s.Service, s.State, s.Health)));
        using var http = new HttpClient();
        Assert.Equal("GREETING-edge", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim());

        var dep = await ContainerOfAsync("dep");
        var web = await ContainerOfAsync("web");
        var depStarted = DateTimeOffset.Parse(await DockerEngine.InspectAsync(dep, "{{.State.StartedAt}}", ct), CultureInfo.InvariantCulture);
        var webStarted = DateTimeOffset.Parse(await DockerEngine.InspectAsync(web, "{{.State.StartedAt}}", ct), CultureInfo.InvariantCulture);
        // The dependency turns healthy two seconds after it starts; the web server waited for that.
        Assert.True(webStarted - depStarted >= TimeSpan.FromSeconds(2), $"web started {webStarted:O}, dep {depStarted:O}");

        using (var updated = await admin.PatchAsJsonAsync(ApiRoutes.Deployment(deployment.Id), new UpdateDeploymentRequest(Version: "2"), ct))
        {
            Assert.True(updated.IsSuccessStatusCode, await updated.Content.ReadAsStringAsync(ct));
        }

        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.Completed && d.Devices!.All(x => x.Revision == 2 && x.State == DeviceRolloutState.Running), ct, 90, () => agent.Output);
        await WaitUntilAsync(async () => (await TryGetAsync(http, port)) == "V2-edge", "the new web service to answer", agent);
        Assert.Equal(dep, await ContainerOfAsync("dep"));
        Assert.NotEqual(web, await ContainerOfAsync("web"));

        using (var deleted = await admin.DeleteAsync(ApiRoutes.Deployment(deployment.Id), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await WaitUntilAsync(async () => (await DockerEngine.ContainersOfAsync(deviceId, ct)).Count == 0, "both containers to be removed", agent);
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

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"Waited in vain for {what}:\n{agent.Output}");
    }

    private async Task<string> OnlineAsync(string name, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.FirstOrDefault(d => d.Name == name && d.Status == DeviceStatus.Online) is { } device)
            {
                return device.Id;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"Agent {name} did not come online:\n{agent.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (deviceId is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(deviceId);
        }

        admin.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }
}

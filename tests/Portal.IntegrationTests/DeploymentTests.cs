using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Deployments through the portal to a real agent process running containers on a real Docker engine.</summary>
public sealed class DeploymentTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly List<string> agentData = [];
    private readonly List<string> devices = [];
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task WebServerApp_DeployedToAnAgent_RunsAnswersShowsLogsAndIsRemovedWithTheDeployment()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("web-demo"), ct);
        await using var agent = await StartAgentAsync("web-1");
        var deviceId = devices[0];
        var port = FreePort();

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("web-demo", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, DeviceIds: [deviceId]), ct);
        // The device's Running report completes the deployment at the next rollout step.
        deployment = await DeploymentApi.WaitForAsync(admin, deployment.Id,
            d => DeploymentApi.All(d, DeviceRolloutState.Running) && d.State == DeploymentState.Completed, ct, context: () => agent.Output);
        using (var http = new HttpClient())
        {
            Assert.Equal("hello-from-edge", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim());
        }

        var container = Assert.Single(await DockerEngine.ContainersOfAsync(deviceId, ct));
        Assert.Equal("web-demo", await DockerEngine.InspectAsync(container, "{{index .Config.Labels \"io.edgeportal.workload\"}}", ct));
        Assert.Equal(deployment.Id, await DockerEngine.InspectAsync(container, "{{index .Config.Labels \"io.edgeportal.deployment\"}}", ct));

        var workloads = await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(deviceId), ct);
        var workload = Assert.Single(workloads!.Workloads);
        Assert.Equal(WorkloadState.Running, workload.State);
        Assert.Equal("local/busybox:1", workload.Image);

        // httpd logs each request on stderr; the portal fetches the lines from the agent on demand.
        var logs = await admin.GetFromJsonAsync<List<LogLine>>($"{ApiRoutes.DeviceWorkloadLogs(deviceId, "web-demo")}?tail=50", ct);
        Assert.Contains(logs!, l => l.Text.Contains("response:200", StringComparison.Ordinal) && l.Stream == "stderr");

        // The same deployment again creates nothing: a conflict naming the deployment that already does it.
        using (var again = await admin.PostAsJsonAsync(ApiRoutes.Deployments, new CreateDeploymentRequest("web-demo", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, DeviceIds: [deviceId]), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains(deployment.Id, (await again.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        using (var deleted = await admin.DeleteAsync(ApiRoutes.Deployment(deployment.Id), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await WaitUntilAsync(async () => (await DockerEngine.ContainersOfAsync(deviceId, ct)).Count == 0, "the container to be removed", agent);
    }

    [Fact]
    public async Task UnknownImage_Deployed_DeviceReportsFailedWithTheEnginesReasonWithinSeconds()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("missing-image", "local/does-not-exist:1"), ct);
        await using var agent = await StartAgentAsync("missing-1");

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("missing-image", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = "1" }, DeviceIds: [devices[0]]), ct);
        deployment = await DeploymentApi.WaitForAsync(admin, deployment.Id,
            d => DeploymentApi.All(d, DeviceRolloutState.Failed) && d.State == DeploymentState.Failed, ct, seconds: 30, context: () => agent.Output);

        var device = Assert.Single(deployment.Devices!);
        Assert.False(string.IsNullOrWhiteSpace(device.Reason));
        // The deployment says what happened, with the device's own reason.
        Assert.StartsWith("All 1 device failed", deployment.StateReason, StringComparison.Ordinal);
        Assert.Contains(device.Reason!, deployment.StateReason, StringComparison.Ordinal);
        Assert.Empty(await DockerEngine.ContainersOfAsync(devices[0], ct));
    }

    [Fact]
    public async Task Agent_RestartedWhileThePortalIsDown_KeepsItsContainerWithoutRecreatingIt()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("steady"), ct);
        string container;
        var agent = await StartAgentAsync("steady-1");
        try
        {
            var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("steady", "1", DeviceIds: [devices[0]]), ct);
            await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);
            container = Assert.Single(await DockerEngine.ContainersOfAsync(devices[0], ct));
            await agent.TerminateAsync(ct);
        }
        finally
        {
            await agent.DisposeAsync();
        }

        await portal.DisposeAsync();
        await using var offline = AgentProcess.Start(AgentEnvironment(), "--portal", address.ToString(), "--data-dir", agentData[0]);
        await offline.WaitForLineAsync("Cannot reach the portal", TimeSpan.FromSeconds(30), ct);
        // Several reconciles with the portal away: the container is the same one, still running.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        Assert.Equal([container], await DockerEngine.ContainersOfAsync(devices[0], ct));
        Assert.Equal("true", await DockerEngine.InspectAsync(container, "{{.State.Running}}", ct));
        Assert.DoesNotContain("docker create", offline.Output, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string> AgentEnvironment() => new()
    {
        ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(),
        ["Agent__ReconcileIntervalSeconds"] = "1",
        ["Agent__TelemetryIntervalSeconds"] = "2",
    };

    private async Task<AgentProcess> StartAgentAsync(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct, labels: labels);
        var data = Path.Combine(Path.GetTempPath(), "portal-deploy-tests", Guid.NewGuid().ToString("N"));
        agentData.Add(data);
        var agent = AgentProcess.Start(AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", name);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var list = await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct);
            if (list!.FirstOrDefault(d => d.Name == name && d.Status == DeviceStatus.Online) is { } device)
            {
                devices.Add(device.Id);
                return agent;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"Agent {name} did not come online:\n{agent.Output}");
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"Timed out waiting for {what}. The agent printed:\n{agent.Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in devices)
        {
            await DockerEngine.RemoveContainersOfAsync(device);
        }

        await portal.DisposeAsync();
        foreach (var dir in agentData.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

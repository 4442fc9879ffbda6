using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// A stack's service has its own logs: asked for as <c>{stack}.{service}</c>, the name its container runs under on the
/// device, through the real portal, a real agent and the real engine. A service the stack does not have is a 404.
/// </summary>
public sealed class StackServiceLogsTests : IAsyncLifetime
{
    private const string Compose = """
        services:
          web:
            image: local/busybox:1
            command: ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && echo web-says-hello && exec httpd -f -v -p 127.0.0.1:${PORT} -h /www"]
            network_mode: host
          side:
            image: local/busybox:1
            command: ["sh", "-c", "echo side-says-hello && exec sleep 3600"]
            network_mode: host
        """;

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-stack-logs-tests", Guid.NewGuid().ToString("N"));
    private Uri address = default!;
    private HttpClient admin = default!;
    private string? deviceId;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Logs_OfAStackService_AreThatContainersOwn()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, new AppDefinition(
            "logs-demo", "Logs demo", "Edge Portal tests", "Testing", "Two services that each say hello.", null,
            [new AppVersion("1", "", Parameters: [new AppParameter("PORT", "int", Required: true)], Compose: Compose)]), ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "stack-logs", ct);
        await using var agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "stack-logs");
        deviceId = await agent.WaitUntilOnlineAsync(admin, "stack-logs", ct);
        var port = AgentProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("logs-demo", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port }, DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.Completed && DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => agent.Output);

        var web = await admin.GetFromJsonAsync<List<LogLine>>(ApiRoutes.DeviceWorkloadLogs(deviceId, "logs-demo.web") + "?tail=50", ct);
        var side = await admin.GetFromJsonAsync<List<LogLine>>(ApiRoutes.DeviceWorkloadLogs(deviceId, "logs-demo.side") + "?tail=50", ct);

        Assert.Contains(web!, l => l.Text.Contains("web-says-hello", StringComparison.Ordinal));
        Assert.DoesNotContain(web!, l => l.Text.Contains("side-says-hello", StringComparison.Ordinal));
        Assert.Contains(side!, l => l.Text.Contains("side-says-hello", StringComparison.Ordinal));
        using var unknown = await admin.GetAsync(ApiRoutes.DeviceWorkloadLogs(deviceId, "logs-demo.nope"), ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
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

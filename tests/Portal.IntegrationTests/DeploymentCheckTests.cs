using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// The check before deploying, with real agents: the portal's own local agent (no Docker on its default socket) and an
/// agent process on the test Docker engine. On SQLite and (with PORTAL_TEST_DATABASE=Postgres) on PostgreSQL.
/// </summary>
public sealed class DeploymentCheckTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-check-tests", Guid.NewGuid().ToString("N"));
    private AgentProcess? agent;
    private string? dockerDevice;
    private HttpClient admin = default!;
    private Uri address = default!;

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:LocalAgent:Enabled"] = "true";
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task LocalAgentWithoutDocker_IsNamedInTheCheck_CreateIs409_AndWithSkipIneligibleTheRestDeploy()
    {
        var local = await LocalDeviceAsync();
        var docker = await StartDockerAgentAsync("check-docker");
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("sleeper"), ct);
        var request = new CreateDeploymentRequest("sleeper", "1", DeviceIds: [local.Id, docker]);

        var check = await CheckAsync(request);
        Assert.Equal((2, 1), (check.Targeted, check.Receiving));
        Assert.Equal("1 device will receive this; 1 cannot.", check.Summary);
        var refused = Assert.Single(check.Devices, d => !d.Eligible);
        Assert.Equal(local.Id, refused.DeviceId);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(DeviceCheckReason.DockerUnreachable, problem.Reason);
        Assert.Contains(local.Name, problem.Message, StringComparison.Ordinal);
        Assert.Contains(local.Inventory!.DockerProblem!, problem.Message, StringComparison.Ordinal);

        using (var refusedCreate = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refusedCreate.StatusCode);
            var detail = (await refusedCreate.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail!;
            Assert.Contains(local.Name, detail, StringComparison.Ordinal);
            Assert.Contains("skipIneligible", detail, StringComparison.Ordinal);
        }

        using (var refusedAgain = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct))
        {
            // For scripts, the devices are listed too, with their reasons.
            var body = System.Text.Json.JsonDocument.Parse(await refusedAgain.Content.ReadAsStringAsync(ct)).RootElement;
            var listed = Assert.Single(body.GetProperty("ineligible").EnumerateArray());
            Assert.Equal(local.Id, listed.GetProperty("deviceId").GetString());
            Assert.Equal("DockerUnreachable", listed.GetProperty("problems")[0].GetProperty("reason").GetString());
            Assert.Equal(1, body.GetProperty("receiving").GetInt32());
        }

        Assert.Empty((await admin.GetFromJsonAsync<List<DeploymentDto>>(ApiRoutes.Deployments, ct))!);

        var deployment = await DeploymentApi.DeployAsync(admin, request with { SkipIneligible = true }, ct);
        deployment = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.Completed, ct, context: () => agent!.Output);
        var skipped = deployment.Devices!.Single(d => d.DeviceId == local.Id);
        Assert.Equal(DeviceRolloutState.Skipped, skipped.State);
        Assert.StartsWith("Skipped: ", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("cannot run containers", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(DeviceRolloutState.Running, deployment.Devices!.Single(d => d.DeviceId == docker).State);
        Assert.Equal("1 device skipped", deployment.StateReason);
        Assert.Equal(1, deployment.Progress.Skipped);
        // Nothing was sent to the skipped device.
        Assert.Empty((await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(local.Id), ct))!.Workloads);
    }

    [Fact]
    public async Task GpuApp_ToADeviceWithoutGpu_IsRefusedWithGpuMissing()
    {
        var docker = await StartDockerAgentAsync("check-gpu");
        var app = DeploymentApi.FlakyApp("cuda-job");
        await DeploymentApi.CreateCertifiedAppAsync(admin, app with { Versions = [app.Versions[0] with { Limits = new ResourceLimits(Gpu: true) }] }, ct);
        var request = new CreateDeploymentRequest("cuda-job", "1", DeviceIds: [docker]);

        var check = await CheckAsync(request);

        Assert.Equal("No device will receive this; 1 cannot.", check.Summary);
        Assert.Equal(DeviceCheckReason.GpuMissing, Assert.Single(Assert.Single(check.Devices).Problems).Reason);
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct);
        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        Assert.Contains("needs a GPU", (await created.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostPortOfARunningApp_AskedForByAnotherApp_IsPortInUseNamingIt()
    {
        var docker = await StartDockerAgentAsync("check-ports");
        var port = AgentProcess.FreeLoopbackPort();
        var ports = new[] { new PortMapping(port, port) };
        var first = DeploymentApi.FlakyApp("first-web");
        var second = DeploymentApi.FlakyApp("second-web");
        await DeploymentApi.CreateCertifiedAppAsync(admin, first with { Versions = [first.Versions[0] with { Ports = ports }] }, ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, second with { Versions = [second.Versions[0] with { Ports = ports }] }, ct);
        var running = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("first-web", "1", DeviceIds: [docker]), ct);
        await DeploymentApi.WaitForAsync(admin, running.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent!.Output);

        var check = await CheckAsync(new CreateDeploymentRequest("second-web", "1", DeviceIds: [docker]));

        var problem = Assert.Single(Assert.Single(check.Devices).Problems);
        Assert.Equal(DeviceCheckReason.PortInUse, problem.Reason);
        Assert.Contains($"Host port {port}/tcp is already used on check-ports by first-web (deployment {running.Id})", problem.Message, StringComparison.Ordinal);
        // The same app again (a new version of it) replaces itself: no clash.
        Assert.True(Assert.Single((await CheckAsync(new CreateDeploymentRequest("first-web", "1", DeviceIds: [docker]))).Devices).Eligible);
    }

    private async Task<DeploymentCheck> CheckAsync(CreateDeploymentRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.DeploymentCheck, request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeploymentCheck>(ct))!;
    }

    /// <summary>The portal's own agent, once it has reported its inventory.</summary>
    private async Task<DeviceDto> LocalDeviceAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            var local = (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!
                .FirstOrDefault(d => d.Status == DeviceStatus.Online && d.Labels.GetValueOrDefault("local") == "true" && d.Inventory is not null);
            if (local is not null)
            {
                if (local.Inventory!.DockerVersion is not null)
                {
                    Assert.Skip("This machine has a Docker engine at /var/run/docker.sock: the local agent can run containers here.");
                }

                return local;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException("The local agent did not come online with its inventory.");
    }

    private async Task<string> StartDockerAgentAsync(string name)
    {
        DockerEngine.RequireEndpoint();
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
        agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", name);
        dockerDevice = await agent.WaitUntilOnlineAsync(admin, name, ct);
        // The check judges what the device reported: wait for its inventory.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(dockerDevice), ct))!.Inventory is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Agent {name} did not report its inventory:\n{agent.Output}");
            await Task.Delay(200, ct);
        }

        return dockerDevice;
    }

    public async ValueTask DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        if (dockerDevice is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(dockerDevice);
        }

        admin.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }
}

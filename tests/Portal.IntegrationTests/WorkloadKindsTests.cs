using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Deployments;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Both kinds of workload through the one deployment path to one real agent process: an app's container on a real
/// Docker engine and a model served by the agent, in one desired state, each reported in its kind.
/// </summary>
public sealed class WorkloadKindsTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-kinds-tests", Guid.NewGuid().ToString("N"));
    private Uri address = default!;
    private HttpClient admin = default!;
    private string? deviceId;

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Models:SeedSamples"] = "true";
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task AppAndModel_DeployedToOneAgent_OneDesiredStateHoldsBoth_AndEachRunsInItsKind()
    {
        var environment = DeploymentTests.AgentEnvironment();
        environment["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Agent__Inference__IntraOpThreads"] = "1";
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("kinds-web"), ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "kinds-1", ct);
        await using var agent = AgentProcess.Start(environment, "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "kinds-1");
        deviceId = await OnlineAsync("kinds-1", agent);
        var port = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var app = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("kinds-web", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = port }, DeviceIds: [deviceId]), ct);
        var model = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "vibration-anomaly", ModelVersion: 1, DeviceIds: [deviceId]), ct);
        Assert.Equal((DeploymentKind.App, DeploymentKind.Model), (app.Kind, model.Kind));

        foreach (var id in new[] { app.Id, model.Id })
        {
            await DeploymentApi.WaitForAsync(admin, id, d => d.State == DeploymentState.Completed && DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);
        }

        var listed = (await admin.GetFromJsonAsync<List<DeploymentDto>>(ApiRoutes.Deployments, ct))!;
        Assert.Equal(DeploymentKind.App, listed.Single(d => d.Id == app.Id).Kind);
        Assert.Equal(DeploymentKind.Model, listed.Single(d => d.Id == model.Id).Kind);
        Assert.Equal("vibration-anomaly", listed.Single(d => d.Id == model.Id).AppName);

        var state = await portal.Services.GetRequiredService<DesiredStates>().GetAsync(deviceId, ct);
        Assert.Null(state.Workloads);
        Assert.Equal([(WorkloadKind.Container, "kinds-web", app.Id), (WorkloadKind.Model, "vibration-anomaly", model.Id)],
            state.Items!.Select(w => (w.Kind, w.Name, w.DeploymentId)));

        var reported = (await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(deviceId), ct))!.Workloads;
        Assert.Equal([(WorkloadKind.Container, WorkloadState.Running), (WorkloadKind.Model, WorkloadState.Ready)],
            reported.OrderBy(w => w.Kind).Select(w => (w.Kind, w.State)));
        using var http = new HttpClient();
        Assert.Equal("hello-from-edge", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim());
        using var metadata = await http.GetAsync(new Uri($"http://127.0.0.1:{environment["Agent__Inference__Port"]}/v2/models/vibration-anomaly/ready"), ct);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
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

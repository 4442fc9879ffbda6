using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Decommissioning a real agent that runs a container on a real Docker engine: with removeWorkloads the container is
/// gone before the agent is cut off; without it the container is left running and the audit says so. A decommissioned
/// device can then be removed from the list with its history and telemetry.
/// </summary>
public sealed class DecommissionTests : IAsyncLifetime
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Decommission_RunningDevice_RemovesItsContainerFirstOnlyWhenAsked(bool removeWorkloads)
    {
        DockerEngine.RequireEndpoint();
        var app = removeWorkloads ? "drained" : "left-running";
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp(app), ct);
        await using var agent = await StartAgentAsync($"{app}-device");
        var deviceId = devices[^1];
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(app, "1", DeviceIds: [deviceId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => agent.Output);
        Assert.Single(await DockerEngine.ContainersOfAsync(deviceId, ct));

        using var response = await admin.DeleteAsync($"{ApiRoutes.Device(deviceId)}?removeWorkloads={removeWorkloads.ToString().ToLowerInvariant()}", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DeviceStatus.Revoked, (await response.Content.ReadFromJsonAsync<DeviceDto>(ct))!.Status);
        // Removal is confirmed before the answer: no waiting here.
        Assert.Equal(removeWorkloads ? 0 : 1, (await DockerEngine.ContainersOfAsync(deviceId, ct)).Count);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(4, agent.ExitCode);

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>(
            $"{ApiRoutes.Audit}?action={AuditActions.DeviceRevoked}&target={Uri.EscapeDataString(AuditTargets.Device(deviceId))}", ct))!;
        Assert.Contains(removeWorkloads ? "were removed from the machine first" : "were left running on the machine", Assert.Single(audit.Items).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveWorkloads_OfAnOfflineDevice_Is409AndNothingChanges()
    {
        var device = (await ApiClient.EnrollDeviceAsync(admin, "offline-press", ct)).DeviceId;
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("offline-app"), ct);
        await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("offline-app", "1", DeviceIds: [device]), ct);
        await WaitAsync(async () => (await admin.GetFromJsonAsync<Portal.Shared.Workloads.DeviceWorkloads>(ApiRoutes.DeviceWorkloads(device), ct))!.Workloads.Count == 1);

        using var refused = await admin.DeleteAsync($"{ApiRoutes.Device(device)}?removeWorkloads=true", ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is offline", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        Assert.Equal(DeviceStatus.Offline, (await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(device), ct))!.Status);
    }

    [Fact]
    public async Task Purge_RemovesOnlyADecommissionedDevice_WithItsTelemetryAndHistory()
    {
        var device = (await ApiClient.EnrollDeviceAsync(admin, "old-press", ct)).DeviceId;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Telemetry.Add(new TelemetryRecord { DeviceId = device, Sequence = 1, At = DateTimeOffset.UtcNow, CpuPercent = 5 });
            await db.SaveChangesAsync(ct);
        }

        using (var refused = await admin.DeleteAsync($"{ApiRoutes.Device(device)}?purge=true", ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("Decommission it first", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        using (var decommissioned = await admin.DeleteAsync(ApiRoutes.Device(device), ct))
        {
            Assert.Equal(HttpStatusCode.OK, decommissioned.StatusCode);
        }

        using var purged = await admin.DeleteAsync($"{ApiRoutes.Device(device)}?purge=true", ct);

        Assert.Equal(HttpStatusCode.NoContent, purged.StatusCode);
        using var gone = await admin.GetAsync(ApiRoutes.Device(device), ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.False(await db.Telemetry.AnyAsync(t => t.DeviceId == device, ct));
            Assert.False(await db.DeviceHistory.AnyAsync(h => h.DeviceId == device, ct));
        }

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.DeviceRemoved}", ct))!;
        Assert.Equal("old-press", Assert.Single(audit.Items).TargetName);
    }

    private async Task<AgentProcess> StartAgentAsync(string name)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
        var data = Path.Combine(Path.GetTempPath(), "portal-decommission-tests", Guid.NewGuid().ToString("N"));
        agentData.Add(data);
        var agent = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", name);
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

    private async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(200, ct);
        }
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

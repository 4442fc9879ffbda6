using System.Net.Http.Json;
using System.Text.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Models;
using Portal.Shared.Notifications;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Event webhooks for automation, with a real agent process (a model deployment, no Docker needed): a channel subscribed
/// to every fleet event hears the device enrol, the deployment created and completed, the agent killed (offline), the
/// model version restaged and the device decommissioned, each signed; a channel subscribed only to device events hears
/// no deployment or model ones.
/// </summary>
public sealed class FleetEventWebhookTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-event-tests", Guid.NewGuid().ToString("N"));
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Models:SeedSamples"] = "true";
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task FleetEvents_ReachTheChannelsSubscribedToThem_Signed_OncePerEvent()
    {
        await using var everything = await WebhookReceiver.StartAsync();
        await using var devicesOnly = await WebhookReceiver.StartAsync();
        var all = await CreateAsync(SaveNotificationChannelRequest.Webhook("automation", everything.Url, [.. FleetEventTypes.All]));
        var devices = await CreateAsync(SaveNotificationChannelRequest.Webhook("device events", devicesOnly.Url,
            FleetEventTypes.DeviceEnrolled, FleetEventTypes.DeviceOffline, FleetEventTypes.DeviceDecommissioned));

        var environment = DeploymentTests.AgentEnvironment();
        environment["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Agent__Inference__IntraOpThreads"] = "1";
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "events-1", ct);
        var agent = AgentProcess.Start(environment, "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "events-1");
        string deviceId;
        try
        {
            deviceId = await agent.WaitUntilOnlineAsync(admin, "events-1", ct);
            var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "vibration-anomaly", ModelVersion: 1, DeviceIds: [deviceId]), ct);
            await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.Completed, ct, context: () => agent.Output);
            await WaitForEventAsync(everything, FleetEventTypes.DeploymentCompleted);
            await agent.TerminateAsync(ct);
        }
        finally
        {
            await agent.DisposeAsync();
        }

        await WaitForEventAsync(everything, FleetEventTypes.DeviceOffline);
        using (var restage = await admin.PutAsJsonAsync(ApiRoutes.ModelVersion("vibration-anomaly", 1), new UpdateModelVersionRequest(ModelStage.Staging), ct))
        {
            Assert.True(restage.IsSuccessStatusCode, await restage.Content.ReadAsStringAsync(ct));
        }

        using (var decommission = await admin.DeleteAsync(ApiRoutes.Device(deviceId), ct))
        {
            Assert.True(decommission.IsSuccessStatusCode, await decommission.Content.ReadAsStringAsync(ct));
        }

        var staged = await WaitForEventAsync(everything, FleetEventTypes.ModelVersionStaged);
        Assert.Equal("Staging", staged.GetProperty("data").GetProperty("to").GetString());
        var decommissioned = await WaitForEventAsync(everything, FleetEventTypes.DeviceDecommissioned);
        Assert.Equal(deviceId, decommissioned.GetProperty("subject").GetProperty("id").GetString());
        Assert.Equal("events-1", decommissioned.GetProperty("subject").GetProperty("name").GetString());
        Assert.EndsWith($"/devices/{deviceId}", decommissioned.GetProperty("url").GetString(), StringComparison.Ordinal);
        await WaitForEventAsync(devicesOnly, FleetEventTypes.DeviceDecommissioned);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var heard = everything.Requests.Select(r => r.Header(WebhookHeaders.Event)).ToList();
        foreach (var type in new[] { FleetEventTypes.DeviceEnrolled, FleetEventTypes.DeploymentCreated, FleetEventTypes.DeploymentCompleted,
            FleetEventTypes.DeviceOffline, FleetEventTypes.ModelVersionStaged, FleetEventTypes.DeviceDecommissioned })
        {
            Assert.True(heard.Count(h => h == type) == 1, $"{type} once; heard: {string.Join(", ", heard)}");
        }

        Assert.All(everything.Requests, r => Assert.True(WebhookReceiver.SignatureValid(r, all.Secret!)));
        Assert.Equal(everything.Requests.Count, everything.Requests.Select(r => r.Header(WebhookHeaders.Delivery)).Distinct().Count());
        var deviceHeard = devicesOnly.Requests.Select(r => r.Header(WebhookHeaders.Event)).ToList();
        Assert.All(deviceHeard, h => Assert.StartsWith("device.", h, StringComparison.Ordinal));
        Assert.Contains(FleetEventTypes.DeviceEnrolled, deviceHeard);
        Assert.All(devicesOnly.Requests, r => Assert.True(WebhookReceiver.SignatureValid(r, devices.Secret!)));
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }

    private async Task<CreatedNotificationChannel> CreateAsync(SaveNotificationChannelRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.NotificationChannels, request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<CreatedNotificationChannel>(ct))!;
    }

    private async Task<JsonElement> WaitForEventAsync(WebhookReceiver receiver, string type)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            if (receiver.Requests.FirstOrDefault(r => r.Header(WebhookHeaders.Event) == type) is { } request)
            {
                using var body = JsonDocument.Parse(request.Body);
                return body.RootElement.Clone();
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {type}; heard: {string.Join(", ", receiver.Requests.Select(r => r.Header(WebhookHeaders.Event)))}");
            await Task.Delay(200, ct);
        }
    }
}

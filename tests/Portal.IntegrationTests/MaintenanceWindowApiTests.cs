using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Maintenance windows over the API: checked and normalized on save; a deployment that respects them leaves a device
/// whose group's window is closed waiting, saying on the device when its window opens and on the deployment why it waits,
/// while a device in no such group gets it at once.
/// </summary>
public sealed class MaintenanceWindowApiTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync() => admin = await ApiClient.AdminAsync(portal, ct);

    [Fact]
    public async Task Windows_AreChecked_AndARolloutRespectingThemHoldsDevicesOutsideTheirs()
    {
        var inside = (await ApiClient.EnrollDeviceAsync(admin, "kiln-1", ct)).DeviceId;
        var free = (await ApiClient.EnrollDeviceAsync(admin, "kiln-2", ct)).DeviceId;
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Kilns night shift", "", null, [inside]), ct);
        var group = (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!;

        using (var bad = await admin.PutAsJsonAsync(ApiRoutes.GroupMaintenanceWindows(group.Id), new SaveMaintenanceWindowsRequest([new(["Mon"], "25:00", 60, "UTC")]), ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("HH:mm", (await bad.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        // A one-hour window two days from now: closed for the whole test.
        var day = DateTimeOffset.UtcNow.AddDays(2).DayOfWeek.ToString()[..3];
        using (var saved = await admin.PutAsJsonAsync(ApiRoutes.GroupMaintenanceWindows(group.Id), new SaveMaintenanceWindowsRequest([new([day], "00:00", 60, "UTC")]), ct))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        var windows = (await admin.GetFromJsonAsync<List<MaintenanceWindow>>(ApiRoutes.GroupMaintenanceWindows(group.Id), ct))!;
        Assert.Equal(DateTimeOffset.UtcNow.AddDays(2).DayOfWeek.ToString(), Assert.Single(Assert.Single(windows).Days));

        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("web-windows"), ct);
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("web-windows", "1",
            Parameters: new Dictionary<string, string> { ["PORT"] = "8090" }, DeviceIds: [inside, free], Strategy: new RolloutStrategy(RespectMaintenanceWindows: true)), ct);

        var held = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.StateReason?.StartsWith("Waiting for maintenance windows", StringComparison.Ordinal) == true, ct, 30);
        var devices = held.Devices!.ToDictionary(d => d.DeviceId);
        Assert.NotNull(devices[free].ReleasedAt);
        Assert.Null(devices[inside].ReleasedAt);
        Assert.StartsWith("Waits for its maintenance window, which opens ", devices[inside].Reason, StringComparison.Ordinal);
        Assert.EndsWith("00:00 UTC", devices[inside].Reason, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

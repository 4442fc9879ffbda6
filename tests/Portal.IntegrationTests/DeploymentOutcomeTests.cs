using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Shared.Deployments;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Deployments racing, replacing and failing, on SQLite and (with PORTAL_TEST_DATABASE=Postgres) on PostgreSQL. The
/// devices are enrolled but never connect: what is asserted is the portal's own bookkeeping.
/// </summary>
public sealed class DeploymentOutcomeTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync() => admin = await ApiClient.AdminAsync(portal, ct);

    [Fact]
    public async Task Create_TwentyIdenticalRequestsAtOnce_CreatesExactlyOneAndTheOthersGet409NamingIt()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("racer"), ct);
        var device = (await ApiClient.EnrollDeviceAsync(admin, "race-device", ct)).DeviceId;
        var request = new CreateDeploymentRequest("racer", "1", DeviceIds: [device]);

        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync(ct);
            using var response = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(ct));
        }).ToList();
        start.Release(20);
        var answers = await Task.WhenAll(posts).WaitAsync(TimeSpan.FromSeconds(60), ct);

        var created = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        var id = System.Text.Json.JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Contains(id, a.Body, StringComparison.Ordinal);
        });
        var all = await admin.GetFromJsonAsync<List<DeploymentDto>>(ApiRoutes.Deployments, ct);
        Assert.Equal(id, Assert.Single(all!).Id);
    }

    [Fact]
    public async Task ModelVersion2_DeployedOverVersion1_SupersedesItPerDeviceAndHandsBackWhenDeleted()
    {
        await ModelApi.CreateWithTwoVersionsAsync(admin, "line-model", ct);
        var a = (await ApiClient.EnrollDeviceAsync(admin, "line-a", ct)).DeviceId;
        var b = (await ApiClient.EnrollDeviceAsync(admin, "line-b", ct)).DeviceId;
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "line-model", ModelVersion: 1, DeviceIds: [a, b]), ct);
        await DeploymentApi.WaitForAsync(admin, v1.Id, d => DeploymentApi.All(d, DeviceRolloutState.Pending), ct);

        // Version 2 on one device: version 1 is superseded there only, and says by which deployment.
        var v2a = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "line-model", ModelVersion: 2, DeviceIds: [a]), ct);
        var partly = await DeploymentApi.WaitForAsync(admin, v1.Id, d => State(d, a) == DeviceRolloutState.Superseded, ct);
        Assert.Equal($"Superseded by deployment {v2a.Id} (line-model v2)", partly.Devices!.Single(d => d.DeviceId == a).Reason);
        Assert.Equal(DeviceRolloutState.Pending, State(partly, b));
        Assert.Equal(DeploymentState.InProgress, partly.State);

        // And on the other: superseded on every device, naming both.
        var v2b = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "line-model", ModelVersion: 2, DeviceIds: [b]), ct);
        var replaced = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.Superseded, ct);
        Assert.Contains(v2a.Id, replaced.StateReason, StringComparison.Ordinal);
        Assert.Contains(v2b.Id, replaced.StateReason, StringComparison.Ordinal);
        Assert.Equal(2, replaced.Progress.Superseded);

        // The newer one on device b goes: b is version 1's again, in progress there.
        using (var deleted = await admin.DeleteAsync(ApiRoutes.Deployment(v2b.Id), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var back = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.InProgress && State(d, b) == DeviceRolloutState.Pending, ct);
        Assert.Equal(DeviceRolloutState.Superseded, State(back, a));
        Assert.Contains(back.Events!, e => e.Message.Contains("handed back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllAtOnce_EveryDeviceFailed_IsFailedWithTheReasonNotCompleted()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("silent"), ct);
        var devices = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            devices.Add((await ApiClient.EnrollDeviceAsync(admin, $"silent-{i}", ct)).DeviceId);
        }

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("silent", "1", DeviceIds: devices,
            Strategy: new RolloutStrategy(RolloutKind.AllAtOnce, DeviceTimeoutSeconds: 5)), ct);
        deployment = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State is not DeploymentState.InProgress, ct, seconds: 30);

        Assert.Equal(DeploymentState.Failed, deployment.State);
        Assert.StartsWith("All 2 devices failed", deployment.StateReason, StringComparison.Ordinal);
        Assert.Contains("did not report Running in time", deployment.StateReason, StringComparison.Ordinal);
        Assert.All(deployment.Devices!, d => Assert.Equal(DeviceRolloutState.Failed, d.State));
        Assert.Contains(deployment.Events!, e => e.Message == "Failed: 0 running, 2 failed");

        // Deploying it again is a retry, not a duplicate: the failed one is superseded by it.
        var retry = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("silent", "1", DeviceIds: devices,
            Strategy: new RolloutStrategy(RolloutKind.AllAtOnce, DeviceTimeoutSeconds: 5)), ct);
        var old = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.Superseded, ct);
        Assert.Equal($"Superseded by deployment {retry.Id} (Flaky worker 1)", old.StateReason);
    }

    private static DeviceRolloutState State(DeploymentDto d, string deviceId) => d.Devices!.Single(x => x.DeviceId == deviceId).State;

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

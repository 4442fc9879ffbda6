using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Actions on more devices than <c>Portal:Approvals:DeviceThreshold</c> wait for a second admin: nothing is sent or
/// queued meanwhile; the admin who asked cannot approve; another admin approves (offline devices then queue with the
/// expiry asked for, counted from the approval) or rejects (none runs); each decision is audited, and decided once.
/// </summary>
public sealed class DeviceActionApprovalTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;
    private HttpClient second = default!;
    private List<string> devices = [];

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Approvals:DeviceThreshold"] = "1";
        admin = await ApiClient.AdminAsync(portal, ct);
        await ApiClient.CreateUserAsync(admin, "second-admin@portal.local", "Second-Admin-Passw0rd!", "Admin", ct);
        second = await ApiClient.SignedInAsync(portal, "second-admin@portal.local", "Second-Admin-Passw0rd!", ct);
        devices = [(await ApiClient.EnrollDeviceAsync(admin, "kiln-1", ct)).DeviceId, (await ApiClient.EnrollDeviceAsync(admin, "kiln-2", ct)).DeviceId];
    }

    [Fact]
    public async Task OverTheThreshold_Waits_TheRequesterCannotApprove_AnotherAdminApproves_AndTheyQueue()
    {
        var asked = await RequestAsync(admin, new DeviceActionRequest(DeviceActionKind.PruneImages, devices, QueueUntilOnline: true, ExpiresInMinutes: 240));
        Assert.All(asked, a => Assert.Equal(DeviceActionState.AwaitingApproval, a.State));
        Assert.Contains("asked for on 2 devices, more than 1", asked[0].Message, StringComparison.Ordinal);
        var batch = Assert.Single(asked.Select(a => a.BatchId).Distinct());
        Assert.NotNull(batch);

        using (var own = await admin.PostAsync(ApiRoutes.DeviceActionBatch(batch, "approve"), null, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
            Assert.Contains("another admin must approve it", (await own.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        var before = DateTimeOffset.UtcNow;
        using var approved = await second.PostAsync(ApiRoutes.DeviceActionBatch(batch, "approve"), null, ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var decided = (await approved.Content.ReadFromJsonAsync<List<DeviceActionDto>>(ct))!;
        Assert.All(decided, a =>
        {
            Assert.Equal(DeviceActionState.Queued, a.State);
            Assert.StartsWith("Approved by second-admin@portal.local.", a.Message, StringComparison.Ordinal);
            Assert.InRange(a.ExpiresAt!.Value, before.AddMinutes(239), before.AddMinutes(242));
        });

        using (var twice = await second.PostAsync(ApiRoutes.DeviceActionBatch(batch, "reject"), null, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.DeviceActionApproved}", ct))!.Items;
        Assert.Equal(("second-admin@portal.local", "2 devices"), (Assert.Single(audit).ActorName, audit[0].TargetName));
        Assert.Contains("requested by admin@portal.local", audit[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_NoneRuns_AndEachRowSaysWho_WithinTheThreshold_NoApprovalIsNeeded()
    {
        var asked = await RequestAsync(admin, new DeviceActionRequest(DeviceActionKind.RestartAgent, devices));
        using var rejected = await second.PostAsync(ApiRoutes.DeviceActionBatch(asked[0].BatchId!, "reject"), null, ct);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var rows = (await admin.GetFromJsonAsync<List<DeviceActionDto>>(ApiRoutes.DeviceActions, ct))!;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, a => Assert.Equal((DeviceActionState.Rejected, "Rejected by second-admin@portal.local."), (a.State, a.Message)));
        Assert.Single((await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.DeviceActionRejected}", ct))!.Items);

        // One device is within the threshold: it goes at once (here: offline, not queued, so it fails saying so).
        var single = await RequestAsync(admin, new DeviceActionRequest(DeviceActionKind.RestartAgent, [devices[0]]));
        Assert.Equal((DeviceActionState.Failed, (string?)null), (single[0].State, single[0].BatchId));
        Assert.Contains("offline", single[0].Message, StringComparison.Ordinal);

        using var unknown = await second.PostAsync(ApiRoutes.DeviceActionBatch("no-such-batch", "approve"), null, ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        second.Dispose();
        await portal.DisposeAsync();
    }

    private async Task<List<DeviceActionDto>> RequestAsync(HttpClient client, DeviceActionRequest request)
    {
        using var response = await client.PostAsJsonAsync(ApiRoutes.DeviceActions, request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<List<DeviceActionDto>>(ct))!;
    }
}

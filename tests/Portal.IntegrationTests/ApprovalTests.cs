using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Approvals (<c>Portal:Approvals</c>): a deployment to more devices than the threshold, and any agent update, waits for
/// a second admin with nothing released; the admin who asked cannot approve it; another admin approves (it rolls out)
/// or rejects (it is aborted); both audited. A deployment within the threshold starts at once.
/// </summary>
public sealed class ApprovalTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;
    private HttpClient second = default!;
    private List<string> devices = [];

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Approvals:DeviceThreshold"] = "1";
        portal.Settings["Portal:Approvals:AgentUpdates"] = "true";
        admin = await ApiClient.AdminAsync(portal, ct);
        await ApiClient.CreateUserAsync(admin, "second-admin@portal.local", "Second-Admin-Passw0rd!", "Admin", ct);
        second = await ApiClient.SignedInAsync(portal, "second-admin@portal.local", "Second-Admin-Passw0rd!", ct);
        devices = [(await ApiClient.EnrollDeviceAsync(admin, "press-1", ct)).DeviceId, (await ApiClient.EnrollDeviceAsync(admin, "press-2", ct)).DeviceId];
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("web-approvals"), ct);
    }

    private static CreateDeploymentRequest Web(string port, params string[] to) =>
        new("web-approvals", "1", Parameters: new Dictionary<string, string> { ["PORT"] = port }, DeviceIds: to);

    [Fact]
    public async Task OverTheThreshold_WaitsWithNothingReleased_TheRequesterCannotApprove_AnotherAdminApproves()
    {
        var waiting = await DeploymentApi.DeployAsync(admin, Web("8081", [.. devices]), ct);
        Assert.Equal(DeploymentState.AwaitingApproval, waiting.State);
        Assert.Contains("targets 2 devices, more than 1", waiting.StateReason, StringComparison.Ordinal);

        // Several rollout ticks later, still nothing released.
        await Task.Delay(RolloutService.Tick * 3, ct);
        var still = await DeploymentApi.GetAsync(admin, waiting.Id, ct);
        Assert.Equal(DeploymentState.AwaitingApproval, still.State);
        Assert.All(still.Devices!, d => Assert.Equal((DeviceRolloutState.Waiting, (DateTimeOffset?)null), (d.State, d.ReleasedAt)));

        using (var own = await admin.PostAsJsonAsync(ApiRoutes.DeploymentAction(waiting.Id, "approve"), new ApprovalDecisionRequest(), ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
            Assert.Contains("another admin must approve it", (await own.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        using (var approved = await second.PostAsJsonAsync(ApiRoutes.DeploymentAction(waiting.Id, "approve"), new ApprovalDecisionRequest("checked the port"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        var released = await DeploymentApi.WaitForAsync(admin, waiting.Id, d => d.Devices!.All(x => x.ReleasedAt is not null), ct, 30);
        Assert.Equal(DeploymentState.InProgress, released.State);
        using (var again = await second.PostAsJsonAsync(ApiRoutes.DeploymentAction(waiting.Id, "approve"), new ApprovalDecisionRequest(), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.DeploymentApproved}", ct))!;
        var entry = Assert.Single(audit.Items);
        Assert.Equal(("second-admin@portal.local", AuditTargets.Deployment(waiting.Id)), (entry.ActorName, entry.Target));

        // Within the threshold: no approval needed.
        Assert.Equal(DeploymentState.InProgress, (await DeploymentApi.DeployAsync(admin, Web("8082", devices[0]), ct)).State);
    }

    [Fact]
    public async Task Rejected_IsAbortedWithTheReason_AndAgentUpdatesAlwaysWait()
    {
        var waiting = await DeploymentApi.DeployAsync(admin, Web("8083", [.. devices]), ct);
        using (var rejected = await second.PostAsJsonAsync(ApiRoutes.DeploymentAction(waiting.Id, "reject"), new ApprovalDecisionRequest("not during the shift"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        var aborted = await DeploymentApi.GetAsync(admin, waiting.Id, ct);
        Assert.Equal(DeploymentState.Aborted, aborted.State);
        Assert.Equal("Rejected by second-admin@portal.local: not during the shift", aborted.StateReason);
        Assert.All(aborted.Devices!, d => Assert.Null(d.ReleasedAt));
        Assert.Single((await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.DeploymentRejected}", ct))!.Items);

        // An agent update to a single device still waits (Portal:Approvals:AgentUpdates).
        using var form = new MultipartFormDataContent { { new StringContent("0.5.9"), "version" }, { new StreamContent(File.OpenRead("/bin/true")), "linux-x64", "portal-agent" } };
        using (var uploaded = await admin.PostAsync(ApiRoutes.AgentReleases, form, ct))
        {
            Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(ct));
        }

        var update = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, DeviceIds: [devices[0]], AgentReleaseVersion: "0.5.9"), ct);
        Assert.Equal(DeploymentState.AwaitingApproval, update.State);
        Assert.Contains("agent updates need one", update.StateReason, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        second.Dispose();
        await portal.DisposeAsync();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Features.Models;
using Portal.Shared.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Marketplace;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Deleting what deployments use: a targeted group is refused (409 naming the deployments) until the caller confirms,
/// and a deployed model version is refused outright. Devices are enrolled but never connect: what is asserted is the
/// portal's bookkeeping and every device's stored desired state.
/// </summary>
public sealed class GuardedDeleteTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync() => admin = await ApiClient.AdminAsync(portal, ct);

    [Fact]
    public async Task GroupDelete_TargetedWithoutConfirmation_Is409ListingTheDeploymentAndRemovesNothing()
    {
        var (group, deployment, press7, press8) = await DeployToGroupAsync("line-3", alsoByDevice: false);

        using var refused = await admin.DeleteAsync(ApiRoutes.Group(group.Id), ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!;
        Assert.Contains(deployment.Name, problem.Detail, StringComparison.Ordinal);
        Assert.Contains("press-7, press-8", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("force=true", problem.Detail, StringComparison.Ordinal);
        using (var still = await admin.GetAsync(ApiRoutes.Group(group.Id), ct))
        {
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        }

        var preview = (await admin.GetFromJsonAsync<GroupDeletePreview>(ApiRoutes.GroupDeletePreview(group.Id), ct))!;
        var impact = Assert.Single(preview.Deployments);
        Assert.Equal(deployment.Id, impact.DeploymentId);
        Assert.Equal(["press-7", "press-8"], impact.DevicesLosingIt);
        Assert.Equal([group.Id], (await DeploymentApi.GetAsync(admin, deployment.Id, ct)).GroupIds);
        Assert.Equal(1, await WorkloadsOnAsync(press7));
        Assert.Equal(1, await WorkloadsOnAsync(press8));
    }

    [Fact]
    public async Task GroupDelete_Confirmed_RemovesOnlyWhatTheGroupBroughtWithEventsAndAuditDetail()
    {
        // press-8 is also targeted by id, so only press-7 loses the app.
        var (group, deployment, press7, press8) = await DeployToGroupAsync("line-4", alsoByDevice: true);

        using var deleted = await admin.DeleteAsync(ApiRoutes.Group(group.Id) + "?force=true", ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var after = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.Devices is [{ DeviceName: "press-8" }], ct, seconds: 30);
        Assert.Empty(after.GroupIds);
        var message = Assert.Single(after.Events!, e => e.Message.StartsWith("Group 'line-4' deleted by", StringComparison.Ordinal)).Message;
        Assert.Contains("removed from press-7", message, StringComparison.Ordinal);
        Assert.DoesNotContain("press-8", message, StringComparison.Ordinal);
        await WaitAsync(async () => await WorkloadsOnAsync(press7) == 0, "press-7 to lose the app");
        Assert.Equal(1, await WorkloadsOnAsync(press8));

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>(
            $"{ApiRoutes.Audit}?action={AuditActions.GroupDeleted}&target={Uri.EscapeDataString(AuditTargets.Group(group.Id))}", ct))!;
        var entry = Assert.Single(audit.Items);
        Assert.Equal("line-4", entry.TargetName);
        Assert.Contains($"deployment '{deployment.Name}'", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("removed from press-7", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupDelete_Untargeted_IsDeletedWithoutConfirmation()
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("spare"), ct);
        var group = (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!;

        var preview = (await admin.GetFromJsonAsync<GroupDeletePreview>(ApiRoutes.GroupDeletePreview(group.Id), ct))!;
        using var deleted = await admin.DeleteAsync(ApiRoutes.Group(group.Id), ct);

        Assert.Empty(preview.Deployments);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.GetAsync(ApiRoutes.GroupDeletePreview(group.Id), ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ModelVersionDelete_Deployed_Is409ListingTheDeploymentAndUnusedOnesAreDeletedKeepingSharedFiles()
    {
        await ModelApi.CreateWithTwoVersionsAsync(admin, "guarded-model", ct);
        var device = (await ApiClient.EnrollDeviceAsync(admin, "model-device", ct)).DeviceId;
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "guarded-model", ModelVersion: 1, DeviceIds: [device]), ct);
        var sha = (await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion("guarded-model", 1), ct))!.Sha256;
        var store = portal.Services.GetRequiredService<ArtifactStore>();

        using (var refused = await admin.DeleteAsync(ApiRoutes.ModelVersion("guarded-model", 1), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"'{v1.Name}'", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        using (var refusedModel = await admin.DeleteAsync(ApiRoutes.Model("guarded-model"), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refusedModel.StatusCode);
        }

        // Version 2 is the same file as version 1: its row goes, the file stays for version 1.
        using (var deleted = await admin.DeleteAsync(ApiRoutes.ModelVersion("guarded-model", 2), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await admin.GetAsync(ApiRoutes.ModelVersion("guarded-model", 2), ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.True(store.Exists(sha));
        Assert.Equal(1, (await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion("guarded-model", 1), ct))!.Version);

        // Once rolled back nothing uses it: the model goes with its last version and the file nobody shares any more.
        using (var rolledBack = await admin.PostAsync(ApiRoutes.DeploymentAction(v1.Id, DeploymentActions.Rollback), null, ct))
        {
            Assert.True(rolledBack.StatusCode == HttpStatusCode.OK, await rolledBack.Content.ReadAsStringAsync(ct));
        }

        using (var deletedModel = await admin.DeleteAsync(ApiRoutes.Model("guarded-model"), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deletedModel.StatusCode);
        }

        using (var modelGone = await admin.GetAsync(ApiRoutes.Model("guarded-model"), ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, modelGone.StatusCode);
        }

        Assert.False(store.Exists(sha));
    }

    [Fact]
    public async Task ModelVersionDelete_InProductionOrStaging_Is409UntilArchived()
    {
        await ModelApi.CreateWithTwoVersionsAsync(admin, "staged-model", ct);
        using (var promoted = await admin.PutAsJsonAsync(ApiRoutes.ModelVersion("staged-model", 2), new UpdateModelVersionRequest(ModelStage.Production), ct))
        {
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        }

        using (var refused = await admin.DeleteAsync(ApiRoutes.ModelVersion("staged-model", 2), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("is in Production", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        using (var refusedModel = await admin.DeleteAsync(ApiRoutes.Model("staged-model"), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refusedModel.StatusCode);
            Assert.Contains("v2 (Production)", (await refusedModel.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(ModelStage.Production, (await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion("staged-model", 2), ct))!.Stage);
        using (var archived = await admin.PutAsJsonAsync(ApiRoutes.ModelVersion("staged-model", 2), new UpdateModelVersionRequest(ModelStage.Archived), ct))
        {
            Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        }

        using var deleted = await admin.DeleteAsync(ApiRoutes.ModelVersion("staged-model", 2), ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task AppVersionRemoval_DeployedVersion_Is409ListingTheDeploymentAndAnUnusedOneGoes()
    {
        var app = DeploymentApi.FlakyApp("versioned");
        await DeploymentApi.CreateCertifiedAppAsync(admin, app, ct);
        var device = (await ApiClient.EnrollDeviceAsync(admin, "app-device", ct)).DeviceId;
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("versioned", "1", DeviceIds: [device]), ct);

        using var refused = await admin.PutAsJsonAsync(ApiRoutes.MarketplaceApp("versioned"), app with { Versions = [app.Versions[1]] }, ct);
        using var allowed = await admin.PutAsJsonAsync(ApiRoutes.MarketplaceApp("versioned"), app with { Versions = [app.Versions[0]] }, ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"'{v1.Name}'", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var after = (await admin.GetFromJsonAsync<AppDto>(ApiRoutes.MarketplaceApp("versioned"), ct))!;
        Assert.Equal(["1"], after.Versions.Select(v => v.Version));
    }

    private async Task<(GroupDto Group, DeploymentDto Deployment, string Press7, string Press8)> DeployToGroupAsync(string name, bool alsoByDevice)
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("guarded-" + name), ct);
        var press7 = (await ApiClient.EnrollDeviceAsync(admin, "press-7", ct)).DeviceId;
        var press8 = (await ApiClient.EnrollDeviceAsync(admin, "press-8", ct)).DeviceId;
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest(name, StaticMembers: [press7, press8]), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var group = (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!;
        var deployment = await DeploymentApi.DeployAsync(admin,
            new CreateDeploymentRequest("guarded-" + name, "1", GroupIds: [group.Id], DeviceIds: alsoByDevice ? [press8] : null), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.Devices is { Count: 2 } && DeploymentApi.All(d, DeviceRolloutState.Pending), ct, seconds: 30);
        await WaitAsync(async () => await WorkloadsOnAsync(press7) == 1 && await WorkloadsOnAsync(press8) == 1, "both presses to get the app");
        return (group, deployment, press7, press8);
    }

    private async Task<int> WorkloadsOnAsync(string deviceId) =>
        (await portal.Services.GetRequiredService<DesiredStates>().GetAsync(deviceId, ct)).All().Count;

    private async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(200, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

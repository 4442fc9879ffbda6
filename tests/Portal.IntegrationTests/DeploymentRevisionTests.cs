using System.Net;
using System.Net.Http.Json;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Updates in place over real agents: the next revision of the same deployment, its preview, and rolling it back.</summary>
public sealed class DeploymentRevisionTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly List<AgentProcess> agents = [];
    private readonly List<string> agentData = [];
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Update_NewVersion_SameDevicesRunItAndARollbackReturnsThemToThePreviousVersion()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("rev-app"), ct);
        var ids = await StartAgentsAsync("rev", 2);
        var group = await CreateGroupAsync("Revision line", "line=rev");
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("rev-app", "1", GroupIds: [group]), ct);
        await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.Completed && d.Devices!.Count == 2, ct, 60, Output);

        var preview = await PreviewAsync(v1.Id, new UpdateDeploymentRequest(Version: "2"));
        Assert.Equal(2, preview.Revision);
        Assert.Equal(ids.Order(StringComparer.Ordinal), preview.Update.Select(d => d.DeviceId).Order(StringComparer.Ordinal));
        Assert.Empty(preview.Receive);
        Assert.Empty(preview.Lose);
        Assert.Contains("version 1 → 2", preview.Changes);

        var updated = await PatchAsync(v1.Id, new UpdateDeploymentRequest(Version: "2"), HttpStatusCode.OK);
        Assert.Equal(2, updated!.Revision);
        Assert.Equal("1", updated.PreviousVersion);
        Assert.Equal("Flaky worker 2", updated.Name);
        var v2 = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.Completed && d.Devices!.All(x => x.Revision == 2 && x.State == DeviceRolloutState.Running)
            && d.Devices!.All(x => x.Runs == "2 · revision 2"), ct, 90, Output);
        Assert.Contains(v2.Events!, e => e.Message.StartsWith("Revision 2 by", StringComparison.Ordinal));
        // No second deployment beside it: the same one, on the same devices, now runs version 2.
        Assert.Single((await admin.GetFromJsonAsync<List<DeploymentDto>>(ApiRoutes.Deployments, ct))!);
        foreach (var id in ids)
        {
            var container = Assert.Single(await DockerEngine.ContainersOfAsync(id, ct));
            Assert.Contains("v2 working", await DockerEngine.InspectAsync(container, "{{json .Config.Cmd}}", ct), StringComparison.Ordinal);
            Assert.Equal(v1.Id, await DockerEngine.InspectAsync(container, "{{index .Config.Labels \"io.edgeportal.deployment\"}}", ct));
        }

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.DeploymentUpdated}", ct))!;
        Assert.Contains("version 1 → 2", Assert.Single(audit.Items).Detail, StringComparison.Ordinal);

        // Rolling back revision 2 returns every device to version 1 (as revision 3), instead of removing the app.
        using (var rollback = await admin.PostAsync(ApiRoutes.DeploymentAction(v1.Id, "rollback"), null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        }

        var back = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.Completed && d.Revision == 3
            && d.Devices!.All(x => x.State == DeviceRolloutState.Running && x.Runs == "1 · revision 3"), ct, 90, Output);
        Assert.Equal("1", back.Version);
        Assert.Null(back.PreviousVersion);
        Assert.Contains(back.Events!, e => e.Message.StartsWith("Revision 2 (2) rolled back to revision 1's 1", StringComparison.Ordinal));
        foreach (var id in ids)
        {
            var container = Assert.Single(await DockerEngine.ContainersOfAsync(id, ct));
            Assert.DoesNotContain("v2 working", await DockerEngine.InspectAsync(container, "{{json .Config.Cmd}}", ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Update_RevisionFailsWithRollbackStrategy_DevicesReturnToThePreviousRevisionByThemselves()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("rev-fail"), ct);
        var ids = await StartAgentsAsync("fail", 1);
        var strategy = new RolloutStrategy(RolloutKind.Rolling, BatchSize: 1, FailureThresholdPercent: 0, MinDevicesTried: 1, OnFailure: FailureAction.Rollback);
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("rev-fail", "1", DeviceIds: ids, Strategy: strategy), ct);
        await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.Completed && DeploymentApi.All(d, DeviceRolloutState.Running), ct, 60, Output);

        // Version 2 fails on this device: the threshold rolls the revision back, and the device runs version 1 again.
        await PatchAsync(v1.Id, new UpdateDeploymentRequest(Version: "2", Parameters: new Dictionary<string, string> { ["FAIL_IDS"] = ids[0] }), HttpStatusCode.OK);
        var back = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.Revision == 3 && d.State == DeploymentState.Completed && DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, Output);
        Assert.Equal("1", back.Version);
        Assert.Equal("1 · revision 3", Assert.Single(back.Devices!).Runs);
        Assert.Contains(back.Events!, e => e.Message.StartsWith("Revision 2 (2) rolled back", StringComparison.Ordinal));
        var container = Assert.Single(await DockerEngine.ContainersOfAsync(ids[0], ct));
        Assert.Equal("true", await DockerEngine.InspectAsync(container, "{{.State.Running}}", ct));
        Assert.DoesNotContain("v2", await DockerEngine.InspectAsync(container, "{{json .Config.Cmd}}", ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_RemovingADevice_PreviewNamesItAndItLosesTheWorkloadOnlyOnceConfirmed()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("rev-targets"), ct);
        var ids = await StartAgentsAsync("tgt", 2);
        var quiet = (await ApiClient.EnrollDeviceAsync(admin, "tgt-quiet", ct)).DeviceId;
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("rev-targets", "1", DeviceIds: ids), ct);
        await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.Completed && d.Devices!.Count == 2, ct, 60, Output);

        var change = new UpdateDeploymentRequest(DeviceIds: [ids[0], quiet]);
        var preview = await PreviewAsync(v1.Id, change);
        Assert.Equal([quiet], preview.Receive.Select(d => d.DeviceId));
        Assert.Equal([ids[1]], preview.Lose.Select(d => d.DeviceId));
        Assert.Equal([ids[0]], preview.Unchanged.Select(d => d.DeviceId));
        Assert.Empty(preview.Update);
        Assert.Contains("tgt-1", preview.Summary, StringComparison.Ordinal);

        // Without the confirmation nothing changes, and the refusal names the device that would lose it.
        using (var refused = await admin.PatchAsJsonAsync(ApiRoutes.Deployment(v1.Id), change, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("tgt-1", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        Assert.Equal(1, (await DeploymentApi.GetAsync(admin, v1.Id, ct)).Revision);
        Assert.Single(await DockerEngine.ContainersOfAsync(ids[1], ct));

        await PatchAsync(v1.Id, change with { ConfirmRemovals = true }, HttpStatusCode.OK);
        var after = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.Devices!.Select(x => x.DeviceId).Order(StringComparer.Ordinal)
            .SequenceEqual(new[] { ids[0], quiet }.Order(StringComparer.Ordinal)), ct, 60, Output);
        Assert.Equal(DeviceRolloutState.Running, after.Devices!.Single(d => d.DeviceId == ids[0]).State);
        await WaitUntilAsync(async () => (await DockerEngine.ContainersOfAsync(ids[1], ct)).Count == 0, "the removed device to lose its container");
        Assert.Single(await DockerEngine.ContainersOfAsync(ids[0], ct));
    }

    [Fact]
    public async Task Deployment_TargetsMatchingNoDevice_StaysInProgressSayingSo()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("rev-empty"), ct);
        var group = await CreateGroupAsync("Nobody yet", "line=none-yet");
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("rev-empty", "1", GroupIds: [group]), ct);
        deployment = await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.StateReason == "No device matches its targets yet", ct);
        Assert.Equal(DeploymentState.InProgress, deployment.State);

        using var viewerless = await admin.PostAsJsonAsync(ApiRoutes.DeploymentPreview("no-such-id"), new UpdateDeploymentRequest(Version: "2"), ct);
        Assert.Equal(HttpStatusCode.NotFound, viewerless.StatusCode);
    }

    [Fact]
    public async Task Update_ModelDeployment_NextRevisionServesTheOtherVersionAndRollsBackToTheFirst()
    {
        await ModelApi.CreateWithTwoVersionsAsync(admin, "rev-model", ct);
        var device = (await ApiClient.EnrollDeviceAsync(admin, "rev-model-device", ct)).DeviceId;
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, DeviceIds: [device], ModelId: "rev-model", ModelVersion: 1), ct);
        await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.Devices!.Count == 1, ct);

        var preview = await PreviewAsync(v1.Id, new UpdateDeploymentRequest(ModelVersion: 2));
        Assert.Equal([device], preview.Update.Select(d => d.DeviceId));
        Assert.Contains("version v1 → v2", preview.Changes);
        using (var wrong = await admin.PatchAsJsonAsync(ApiRoutes.Deployment(v1.Id), new UpdateDeploymentRequest(Version: "2"), ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("modelVersion", await wrong.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        var v2 = (await PatchAsync(v1.Id, new UpdateDeploymentRequest(ModelVersion: 2), HttpStatusCode.OK))!;
        Assert.Equal((2, 2, "rev-model v2", "1"), (v2.Revision, v2.Model!.Version, v2.Name, v2.PreviousVersion));

        using (var rollback = await admin.PostAsync(ApiRoutes.DeploymentAction(v1.Id, "rollback"), null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        }

        var back = await DeploymentApi.GetAsync(admin, v1.Id, ct);
        Assert.Equal((3, 1, DeploymentState.InProgress), (back.Revision, back.Model!.Version, back.State));
    }

    private async Task<DeploymentUpdatePreview> PreviewAsync(string id, UpdateDeploymentRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.DeploymentPreview(id), request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<DeploymentUpdatePreview>(ct))!;
    }

    private async Task<DeploymentDto?> PatchAsync(string id, UpdateDeploymentRequest request, HttpStatusCode expected)
    {
        using var response = await admin.PatchAsJsonAsync(ApiRoutes.Deployment(id), request, ct);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<DeploymentDto>(ct) : null;
    }

    private string Output() => string.Join("\n---\n", agents.Select(a => a.Output));

    private async Task<List<string>> StartAgentsAsync(string prefix, int count)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, prefix, ct, uses: count, labels: new Dictionary<string, string> { ["line"] = prefix });
        for (var i = 0; i < count; i++)
        {
            var data = Path.Combine(Path.GetTempPath(), "portal-revision-tests", Guid.NewGuid().ToString("N"));
            agentData.Add(data);
            agents.Add(AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", $"{prefix}-{i}"));
        }

        List<DeviceDto> online = [];
        await WaitUntilAsync(async () =>
        {
            online = (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.Where(d => d.Status == DeviceStatus.Online).ToList();
            return online.Count == count;
        }, $"{count} agents online");
        // Named in order (prefix-0, prefix-1), so a test can say which device it means.
        return online.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => d.Id).ToList();
    }

    private async Task<string> CreateGroupAsync(string name, string selector)
    {
        var labels = selector.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest(name, "", labels, []), ct);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(300, ct);
        }

        throw new TimeoutException($"Timed out waiting for {what}. The agents printed:\n{Output()}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var device in await DeviceIdsAsync())
        {
            await DockerEngine.RemoveContainersOfAsync(device);
        }

        await portal.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var dir in agentData.Append(portal.DataDirectory).Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<IReadOnlyList<string>> DeviceIdsAsync()
    {
        try
        {
            return (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, CancellationToken.None))!.Select(d => d.Id).ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or ObjectDisposedException or InvalidOperationException)
        {
            return [];
        }
    }
}

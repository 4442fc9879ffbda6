using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Rolling deployments over several real agents where some devices fail, and a portal restart mid-rollout.</summary>
public sealed class RolloutTests : IAsyncLifetime
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
    public async Task Rolling_FailuresCrossTheThreshold_PausesThenResumesAndLaterRollsBackToThePreviousVersion()
    {
        DockerEngine.RequireEndpoint();
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("flaky"), ct);
        var ids = await StartAgentsAsync("roll", 3);
        var group = await CreateGroupAsync("Rolling line", "line=roll");

        // Rolling one at a time, devices in id order: the first two fail, so after two tried 100% > 40%: paused.
        var v1 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("flaky", "1",
            Parameters: new Dictionary<string, string> { ["FAIL_IDS"] = $"{ids[0]} {ids[1]}" }, GroupIds: [group],
            Strategy: new RolloutStrategy(RolloutKind.Rolling, BatchSize: 1, FailureThresholdPercent: 40, MinDevicesTried: 2, OnFailure: FailureAction.Pause)), ct);
        v1 = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.Paused, ct, 90, Output);

        Assert.Equal(DeviceRolloutState.Failed, State(v1, ids[0]));
        Assert.Equal(DeviceRolloutState.Failed, State(v1, ids[1]));
        Assert.Equal(DeviceRolloutState.Waiting, State(v1, ids[2]));
        Assert.Contains("threshold", v1.StateReason, StringComparison.Ordinal);
        Assert.Contains(v1.Events!, e => e.Message.StartsWith("Paused", StringComparison.Ordinal));

        // The operator accepts those failures and resumes: the last device gets it and runs.
        using (var resume = await admin.PostAsync(ApiRoutes.DeploymentAction(v1.Id, "resume"), null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        }

        v1 = await DeploymentApi.WaitForAsync(admin, v1.Id, d => d.State == DeploymentState.CompletedWithFailures, ct, 60, Output);
        Assert.Equal(DeviceRolloutState.Running, State(v1, ids[2]));
        Assert.StartsWith("2 of 3 devices failed", v1.StateReason, StringComparison.Ordinal);

        // Version 2 fails on the one device that ran version 1 well: roll back, and that device runs version 1 again.
        var v2 = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("flaky", "2",
            Parameters: new Dictionary<string, string> { ["FAIL_IDS"] = ids[2] }, DeviceIds: [ids[2]],
            Strategy: new RolloutStrategy(RolloutKind.Rolling, BatchSize: 1, FailureThresholdPercent: 0, MinDevicesTried: 1, OnFailure: FailureAction.Rollback)), ct);
        v2 = await DeploymentApi.WaitForAsync(admin, v2.Id, d => d.State == DeploymentState.RolledBack, ct, 60, Output);
        Assert.All(v2.Devices!, d => Assert.Equal(DeviceRolloutState.RolledBack, d.State));
        // While version 2 had that device, version 1 said so; after the rollback the device is version 1's again.
        v1 = await DeploymentApi.WaitForAsync(admin, v1.Id, d => State(d, ids[2]) == DeviceRolloutState.Running, ct, 60, Output);
        Assert.Contains(v1.Events!, e => e.Message.StartsWith($"Superseded by deployment {v2.Id}", StringComparison.Ordinal));
        Assert.Contains(v1.Events!, e => e.Message.Contains("handed back", StringComparison.Ordinal));

        await WaitUntilAsync(async () =>
        {
            var workloads = await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(ids[2]), ct);
            return workloads!.Workloads is [{ State: WorkloadState.Running } w] && w.DeploymentId == v1.Id;
        }, "the device to run version 1 again");
        var container = Assert.Single(await DockerEngine.ContainersOfAsync(ids[2], ct));
        Assert.Equal(v1.Id, await DockerEngine.InspectAsync(container, "{{index .Config.Labels \"io.edgeportal.deployment\"}}", ct));
    }

    [Fact]
    public async Task PortalRestart_MidRollout_ResumesWithoutReleasingABatchTwice()
    {
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("batched"), ct);
        // Devices enrolled but never connected: a released batch stays in flight, so nothing more may be released.
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await ApiClient.EnrollDeviceAsync(admin, $"quiet-{i}", ct)).DeviceId);
        }

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("batched", "1", DeviceIds: ids,
            Strategy: new RolloutStrategy(RolloutKind.Rolling, BatchSize: 2, DeviceTimeoutSeconds: 3600)), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.Devices!.Count(x => x.State == DeviceRolloutState.Pending) == 2, ct);

        var data = portal.DataDirectory;
        await using var restarted = new PortalFactory();
        restarted.Settings["Portal:DataDirectory"] = data;
        await portal.StopKeepingDataAsync();
        restarted.StartOnLoopback();
        using var again = await ApiClient.AdminAsync(restarted, ct);
        // Several rollout ticks on the new instance.
        await Task.Delay(TimeSpan.FromSeconds(5), ct);

        var after = await DeploymentApi.GetAsync(again, deployment.Id, ct);
        Assert.Equal(DeploymentState.InProgress, after.State);
        Assert.Equal(2, after.Devices!.Count(d => d.State == DeviceRolloutState.Pending));
        Assert.Equal(2, after.Devices!.Count(d => d.State == DeviceRolloutState.Waiting));
        Assert.Single(after.Events!, e => e.Message.StartsWith("Released a batch", StringComparison.Ordinal));
    }

    private static DeviceRolloutState State(DeploymentDto d, string deviceId) => d.Devices!.Single(x => x.DeviceId == deviceId).State;

    private string Output() => string.Join("\n---\n", agents.Select(a => a.Output));

    private async Task<List<string>> StartAgentsAsync(string prefix, int count)
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, prefix, ct, uses: count, labels: new Dictionary<string, string> { ["line"] = prefix });
        for (var i = 0; i < count; i++)
        {
            var data = Path.Combine(Path.GetTempPath(), "portal-rollout-tests", Guid.NewGuid().ToString("N"));
            agentData.Add(data);
            agents.Add(AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", $"{prefix}-{i}"));
        }

        List<DeviceDto> online = [];
        await WaitUntilAsync(async () =>
        {
            online = (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.Where(d => d.Status == DeviceStatus.Online).ToList();
            return online.Count == count;
        }, $"{count} agents online");
        return online.Select(d => d.Id).Order(StringComparer.Ordinal).ToList();
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

        var devices = await ListDeviceIdsAsync();
        foreach (var device in devices)
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

    private async Task<IReadOnlyList<string>> ListDeviceIdsAsync()
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

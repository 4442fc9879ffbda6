using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Portal.Shared.Cluster;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// Two real portal processes on one PostgreSQL database and one Redis (the private servers ./test.sh starts). Agents
/// connect to instance A; the API and a browser use instance B. Telemetry and a deployment cross from one to the
/// other; then B, the lease holder, is killed mid-rollout and A finishes the rollout, once.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class ScaleOutTests(BrowserFixture browser) : IAsyncDisposable
{
    private const int LeaseSeconds = 4;
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string data = Path.Combine(Path.GetTempPath(), "portal-scale-out", Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> started = [];

    [Fact]
    public async Task TwoInstances_TelemetryAndADeploymentCrossOver_AndKillingTheLeaseHolderMidRolloutFinishesItOnce()
    {
        Assert.SkipWhen(TestDatabases.PostgresServer is null || TestDatabases.RedisServer is null,
            "No PostgreSQL or Redis: run the tests with ./test.sh (it starts private servers and sets PORTAL_TEST_POSTGRES and PORTAL_TEST_REDIS).");
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");

        // B starts first and so holds every lease; A, started next, gets the agents.
        var b = await StartPortalAsync("portal-b");
        var adminB = await AdminAsync(b);
        await WaitForAsync(async () => (await ClusterAsync(adminB)).Leases.Any(l => l.Name == "rollouts" && l.Holder == "portal-b" && l.Held), "B to take the rollouts lease");
        var a = await StartPortalAsync("portal-a");
        var adminA = await AdminAsync(a);

        // Agents talk to A only; B's API sees them online (presence crosses through the database and Redis).
        var token = await ApiClient.CreateEnrollmentTokenAsync(adminB, "scale-out", ct, uses: 2);
        var press = StartAgent(a, token, "press-a1");
        var pressId = await press.WaitUntilOnlineAsync(adminB, "press-a1", ct);
        var spareData = AgentData("press-a2");
        var spare = AgentProcess.Start(AgentSettings(), "--portal", a.BaseAddress.ToString(), "--enroll", token, "--data-dir", spareData, "--name", "press-a2");
        var spareId = await spare.WaitUntilOnlineAsync(adminB, "press-a2", ct);
        await spare.DisposeAsync();
        await WaitForAsync(async () => (await DeviceAsync(adminB, spareId)).Status == DeviceStatus.Offline, "B to see press-a2 offline");
        var cluster = await ClusterAsync(adminB);
        Assert.Equal(1, cluster.Instances.Single(i => i.Id == "portal-a").ConnectedDevices);
        Assert.Equal(0, cluster.Instances.Single(i => i.Id == "portal-b").ConnectedDevices);

        // A page served by B shows the telemetry that press-a1 sends to A, live.
        var page = await browser.NewPageAsync(b.BaseAddress);
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await page.GotoAsync($"/devices/{pressId}");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#device-title")).ToHaveTextAsync("press-a1");
        await Expect(page.Locator("#sample-count")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var before = await SampleCountAsync(page);
        await WaitForAsync(async () => await SampleCountAsync(page) >= before + 2, "two more samples on B's page without a reload");
        await Expect(page.Locator("#telemetry-chart svg")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "70-scale-out-device-on-b");

        // The dashboard tells admins which instances there are, who holds the agents and who does which job.
        await page.GotoAsync("/");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#cluster-panel")).ToContainTextAsync("served by portal-b");
        await Expect(page.Locator("tr.cluster-instance", new() { HasText = "portal-a" })).ToContainTextAsync("Alive");
        await Expect(page.Locator("tr.cluster-instance", new() { HasText = "portal-b" })).ToContainTextAsync("rollouts");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "72-scale-out-dashboard-instances");

        // A deployment created on B reaches press-a1 on A; press-a2 is offline, so the rollout is still going.
        var deployment = await DeploymentApi.DeployAsync(adminB, new CreateDeploymentRequest(null, null, DeviceIds: [pressId, spareId],
            ModelId: "vibration-anomaly", ModelVersion: 1), ct);
        deployment = await DeploymentApi.WaitForAsync(adminB, deployment.Id,
            d => d.Devices!.Any(x => x.DeviceId == pressId && x.State == DeviceRolloutState.Running), ct, context: () => press.Output);
        Assert.Equal(DeploymentState.InProgress, deployment.State);
        var pressRevision = (await adminB.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(pressId), ct))!.DesiredRevision;
        await page.GotoAsync($"/deployments/{deployment.Id}");
        await PortalPages.WaitForCircuitAsync(page);
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "71-scale-out-rollout-on-b");

        // Kill B, the lease holder, mid-rollout. A takes the lease over once it expires and finishes the rollout
        // when press-a2 comes back (to A).
        var killedAt = Stopwatch.StartNew();
        b.Kill();
        var spareAgain = StartAgent(a, null, "press-a2", spareData);
        await WaitForAsync(async () => (await ClusterAsync(adminA)).Leases.Any(l => l.Name == "rollouts" && l.Holder == "portal-a" && l.Held), "A to take the rollouts lease", 60);
        var takeover = killedAt.Elapsed;
        Assert.True(takeover < TimeSpan.FromSeconds(LeaseSeconds + 10), $"A took the lease over after {takeover.TotalSeconds:0.0} s");
        var done = await DeploymentApi.WaitForAsync(adminA, deployment.Id, d => d.State == DeploymentState.Completed, ct, 90, () => spareAgain.Output);
        Assert.All(done.Devices!, d => Assert.Equal(DeviceRolloutState.Running, d.State));

        // Once: one completion, each device released once, and press-a1 was not sent its workloads again.
        Assert.Single(done.Events!, e => e.Message.StartsWith("Completed", StringComparison.Ordinal));
        Assert.Equal(done.Events!.Count, done.Events!.Select(e => e.Message).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(pressRevision, (await adminA.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(pressId), ct))!.DesiredRevision);
        // B's row goes once it has been silent for Portal:Cluster:InstanceTimeoutSeconds; both devices are on A.
        await WaitForAsync(async () => !(await ClusterAsync(adminA)).Instances.Any(i => i.Id == "portal-b" && i.Alive), "B to be seen as gone");
        Assert.Equal(2, (await ClusterAsync(adminA)).Instances.Single(i => i.Id == "portal-a").ConnectedDevices);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(started))
        {
            await item.DisposeAsync();
        }

        if (TestDatabases.PostgresServer is not null)
        {
            TestDatabases.Drop(data);
        }

        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private async Task<PortalProcess> StartPortalAsync(string instance)
    {
        var settings = new Dictionary<string, string>(TestDatabases.SettingsFor(Path.Combine(data, "portal"), postgres: true))
        {
            ["Portal:DataDirectory"] = Path.Combine(data, "portal"),
            ["ConnectionStrings:Redis"] = TestDatabases.RedisServer!,
            ["Portal:Bootstrap:AdminPassword"] = PortalFactory.AdminPassword,
            ["Portal:LocalAgent:Enabled"] = "false",
            ["Portal:Models:SeedSamples"] = "true",
            ["Portal:Cluster:InstanceId"] = instance,
            ["Portal:Cluster:LeaseSeconds"] = LeaseSeconds.ToString(CultureInfo.InvariantCulture),
            ["Portal:Cluster:InstanceTimeoutSeconds"] = "8",
            ["Portal:Security:RateLimits:SignInPerMinute"] = "10000",
            ["Portal:Security:RateLimits:EnrollmentPerMinute"] = "10000",
        };
        var portal = await PortalProcess.StartAsync(settings, ct);
        started.Add(portal);
        return portal;
    }

    private AgentProcess StartAgent(PortalProcess portal, string? token, string name, string? dataDirectory = null)
    {
        var args = new List<string> { "--portal", portal.BaseAddress.ToString(), "--data-dir", dataDirectory ?? AgentData(name) };
        if (token is not null)
        {
            args.AddRange(["--enroll", token, "--name", name]);
        }

        var agent = AgentProcess.Start(AgentSettings(), [.. args]);
        started.Add(agent);
        return agent;
    }

    private static Dictionary<string, string> AgentSettings() => new()
    {
        ["Agent__TelemetryIntervalSeconds"] = "1",
        ["Agent__ReconcileIntervalSeconds"] = "2",
        ["Agent__Inference__Port"] = "0",
        ["Agent__Inference__IntraOpThreads"] = "1",
    };

    private string AgentData(string name) => Path.Combine(data, name);

    private Task<HttpClient> AdminAsync(PortalProcess portal) =>
        ApiClient.SignedInAsync(new HttpClient { BaseAddress = portal.BaseAddress }, PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);

    private async Task<ClusterStatus> ClusterAsync(HttpClient admin) => (await admin.GetFromJsonAsync<ClusterStatus>(ApiRoutes.Cluster, ct))!;

    private async Task<DeviceDto> DeviceAsync(HttpClient admin, string id) => (await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(id), ct))!;

    private static async Task<int> SampleCountAsync(Microsoft.Playwright.IPage page) =>
        int.Parse((await page.Locator("#sample-count").TextContentAsync())!.Trim().Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private async Task WaitForAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"Waited {seconds} s for {what}.");
    }
}

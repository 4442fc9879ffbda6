using System.Net.Http.Json;
using Microsoft.Playwright;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>An operator changes a group's config gradually on the Configuration page and watches it reach two real agents batch by batch.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class ConfigRolloutPageTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly List<string> agentData = [];
    private readonly List<AgentProcess> agents = [];
    private readonly List<string> devices = [];

    [Fact]
    public async Task GroupChangeRolledOutGradually_TableShowsDevicesWaitingThenRunning()
    {
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("line-worker") with { Name = "Line worker" }, ct);
        foreach (var name in new[] { "oven-1", "oven-2" })
        {
            var token = await ApiClient.CreateEnrollmentTokenAsync(admin, name, ct);
            var data = Path.Combine(Path.GetTempPath(), "portal-e2e-config", Guid.NewGuid().ToString("N"));
            agentData.Add(data);
            var agent = AgentProcess.Start(
                new Dictionary<string, string> { ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(), ["Agent__ReconcileIntervalSeconds"] = "2" },
                "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", data, "--name", name);
            agents.Add(agent);
            devices.Add(await agent.WaitUntilOnlineAsync(admin, name, ct));
        }

        using var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Ovens", StaticMembers: [.. devices]), ct);
        var groupId = (await group.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
        using (var set = await admin.PutAsJsonAsync(ApiRoutes.GroupConfig(groupId), new SaveConfigSetRequest(new Dictionary<string, string> { ["FAIL_IDS"] = "none" }, null), ct))
        {
            set.EnsureSuccessStatusCode();
        }

        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("line-worker", "1",
            Parameters: new Dictionary<string, string> { ["FAIL_IDS"] = "${config:FAIL_IDS}" }, GroupIds: [groupId]), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, context: () => string.Join("\n", agents.Select(a => a.Output)));

        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await page.GotoAsync("/configuration");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#configuration-title")).ToBeVisibleAsync();
        await page.Locator(".mud-select", new() { HasText = "Level" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Group Ovens" }).ClickAsync();
        await Expect(page.Locator("#config-values-text textarea, textarea#config-values-text").First).ToHaveValueAsync("FAIL_IDS=none");
        await page.Locator("#config-values-text textarea, textarea#config-values-text").First.FillAsync("FAIL_IDS=nobody");
        await page.GetByText("Roll out gradually (devices not released yet").ClickAsync();
        await Expect(page.Locator("#save-config")).ToHaveTextAsync("Save and roll out");
        await Expect(page.Locator("#deploy-batch-size")).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "80-config-gradual-save");
        await page.Locator("#save-config").ClickAsync();

        var row = page.Locator("tr.config-rollout-row", new() { HasText = "group Ovens" });
        await Expect(row).ToContainTextAsync("~FAIL_IDS: none → nobody");
        await Expect(row.Locator(".config-rollout-state")).ToHaveTextAsync("InProgress");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "81-config-rollout-in-progress");
        // No reload: the table follows the rollout until both devices run the new value.
        await Expect(row.Locator(".config-rollout-state")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Expect(row.Locator(".config-rollout-progress")).ToHaveTextAsync("2 of 2 running");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "82-config-rollout-completed");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var device in devices)
        {
            await DockerEngine.RemoveContainersOfAsync(device);
        }

        foreach (var dir in agentData.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

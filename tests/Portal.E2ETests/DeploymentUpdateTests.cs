using Microsoft.Playwright;
using Portal.Shared.Deployments;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>An operator updates a deployment in place: another version, one device fewer, with the preview and the confirmation.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class DeploymentUpdateTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-e2e-update", Guid.NewGuid().ToString("N"));
    private string? deviceId;

    [Fact]
    public async Task Operator_UpdatesToVersionTwoAndDropsADevice_SeesThePreviewConfirmsAndTheDeviceRunsRevisionTwo()
    {
        DockerEngine.RequireEndpoint();
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("worker-e2e"), ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "e2e update", ct);
        await using var agent = AgentProcess.Start(
            new Dictionary<string, string> { ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(), ["Agent__ReconcileIntervalSeconds"] = "1" },
            "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "welder-01");
        deviceId = await agent.WaitUntilOnlineAsync(admin, "welder-01", ct);
        // A second device that never connects: it fails its rollout, and the update drops it.
        var spare = (await ApiClient.EnrollDeviceAsync(admin, "welder-spare", ct)).DeviceId;
        var deployment = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest("worker-e2e", "1", DeviceIds: [deviceId, spare],
            Strategy: new RolloutStrategy(DeviceTimeoutSeconds: 5)), ct);
        await DeploymentApi.WaitForAsync(admin, deployment.Id, d => d.State == DeploymentState.CompletedWithFailures, ct, 60, () => agent.Output);

        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.GotoAsync($"/deployments/{deployment.Id}");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#update").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.Locator("#preview-summary")).ToContainTextAsync("Nothing changes");

        await dialog.Locator("#update-version").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "2" }).Last.ClickAsync();
        await Expect(dialog.Locator("#preview-update")).ToContainTextAsync("welder-01");
        await dialog.Locator("#deploy-devices").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "welder-spare" }).ClickAsync();
        await PortalPages.CloseListAsync(page);
        await Expect(dialog.Locator("#preview-lose")).ToContainTextAsync("welder-spare");
        await Expect(dialog.Locator("#update-submit")).ToBeDisabledAsync();
        await dialog.Locator("#confirm-removals").ClickAsync();
        await Expect(dialog.Locator("#update-submit")).ToBeEnabledAsync();
        await PortalPages.ScreenshotAsync(page, shots, "60-update-dialog");
        await dialog.Locator("#update-submit").ClickAsync();

        var row = page.Locator("tr.deployment-device", new() { Has = page.Locator(".device-name", new() { HasText = "welder-01" }) });
        await Expect(row.Locator(".device-runs")).ToHaveTextAsync("2 · revision 2", new() { Timeout = 60_000 });
        await Expect(page.Locator("#deployment-state")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        await Expect(page.Locator("#deployment-revision")).ToContainTextAsync("Revision 2");
        await Expect(page.Locator("tr.deployment-device")).ToHaveCountAsync(1);
        await PortalPages.ScreenshotAsync(page, shots, "61-deployment-updated");

        await page.Locator("#nav-deployments").ClickAsync();
        await Expect(page.Locator(".deployment-revision").First).ToHaveTextAsync("2");
        await PortalPages.ScreenshotAsync(page, shots, "62-deployments-revisions");
    }

    public async ValueTask DisposeAsync()
    {
        if (deviceId is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(deviceId);
        }

        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }
}

using Microsoft.Playwright;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>The deploy dialog's check: a device whose agent has no Docker is named with the reason, and deploying to the rest is explicit.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class DeployCheckTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-e2e-check", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task DeployDialog_DeviceWithoutDocker_IsNamedWithWhyAndTheRestCanBeChosenExplicitly()
    {
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.FlakyApp("line-counter") with { Name = "Line counter" }, ct);
        // A device whose agent finds no Docker engine, and one enrolled that has not reported yet (a note, not a refusal).
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "kiosk", ct);
        await using var agent = AgentProcess.Start(
            new Dictionary<string, string> { ["Agent__DockerEndpoint"] = "unix:///run/no-docker-here/docker.sock" },
            "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "kiosk-07");
        await agent.WaitUntilOnlineAsync(admin, "kiosk-07", ct);
        await ApiClient.EnrollDeviceAsync(admin, "spare-03", ct);

        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.GotoAsync("/marketplace/line-counter");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#deploy").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("#deploy-devices").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "kiosk-07" }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "spare-03" }).ClickAsync();
        await PortalPages.CloseListAsync(page);

        await Expect(dialog.Locator("#deploy-check-summary")).ToHaveTextAsync("1 device will receive this; 1 cannot.");
        await Expect(dialog.Locator("#deploy-check-refused")).ToContainTextAsync("kiosk-07 cannot run containers: there is no Docker socket at /run/no-docker-here/docker.sock");
        await Expect(dialog.Locator("#deploy-submit")).ToBeDisabledAsync();
        await PortalPages.ScreenshotAsync(page, shots, "48-deploy-dialog-refused-device");

        await dialog.Locator("#deploy-skip-ineligible").ClickAsync();
        await Expect(dialog.Locator("#deploy-submit")).ToBeEnabledAsync();
        await dialog.Locator("#deploy-submit").ClickAsync();

        await Expect(page.Locator("#deployment-title")).ToBeVisibleAsync();
        var row = page.Locator("tr.deployment-device", new() { Has = page.Locator(".device-name", new() { HasText = "kiosk-07" }) });
        await Expect(row.Locator(".device-state")).ToHaveTextAsync("Skipped", new() { Timeout = 30_000 });
        await Expect(row.Locator(".device-reason")).ToContainTextAsync("no Docker socket");
        await PortalPages.ScreenshotAsync(page, shots, "49-deployment-skipped-device");
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

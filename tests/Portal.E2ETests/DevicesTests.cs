using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

[Collection(nameof(SharedBrowser))]
public sealed class DevicesTests(BrowserFixture browser) : IDisposable
{
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-e2e-agent", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task TokenCreatedInTheUi_EnrollsAnAgent_DeviceAppearsOnlineLiveThenIsDecommissioned()
    {
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);

        await page.Locator("#nav-tokens").ClickAsync();
        await page.Locator("#new-token").ClickAsync();
        await page.Locator("#token-name input, input#token-name").First.FillAsync("Press line 7");
        await page.Locator("#token-labels input, input#token-labels").First.FillAsync("site=madrid, role=press");
        await page.Locator("#token-labels input, input#token-labels").First.PressAsync("Tab");
        await page.Locator("#create-token").ClickAsync();
        await Expect(page.Locator("#agent-command")).ToContainTextAsync("--enroll-file /var/lib/portal-agent/enrollment-token");
        await Expect(page.Locator("#agent-command")).ToContainTextAsync("(umask 077; printf '%s\\n' 'enr_");
        await Expect(page.Locator("#agent-command")).ToContainTextAsync($"--portal {browser.BaseAddress.ToString().TrimEnd('/')}");
        await Expect(page.Locator("#install-command")).ToContainTextAsync($"curl -fsSL {browser.BaseAddress.ToString().TrimEnd('/')}/install/agent.sh | sudo sh -s --");
        await Expect(page.Locator("#install-command")).ToContainTextAsync("--token-file /tmp/portal-enroll");
        var token = (await page.Locator("#created-token").TextContentAsync())!.Trim();
        await PortalPages.ScreenshotAsync(page, shots, "20-token-created");
        await page.Locator("#token-done").ClickAsync();
        await Expect(page.Locator(".token-name", new() { HasText = "Press line 7" })).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, shots, "21-enrollment-tokens");

        await page.Locator("#nav-devices").ClickAsync();
        await Expect(page.Locator("#devices-title")).ToBeVisibleAsync();
        await using var agent = AgentProcess.Start(
            new Dictionary<string, string> { ["Agent__TelemetryIntervalSeconds"] = "1" },
            "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "e2e-press-7");

        // No reload: the page hears the connection and re-renders.
        var row = page.Locator("tr", new() { Has = page.Locator(".device-name", new() { HasText = "e2e-press-7" }) });
        await Expect(row.Locator(".device-status")).ToHaveTextAsync("Online", new() { Timeout = 30_000 });
        await Expect(row).ToContainTextAsync("site=madrid");
        await Expect(row).ToContainTextAsync("cores");
        await PortalPages.ScreenshotAsync(page, shots, "22-devices-online");

        await row.Locator(".device-name").ClickAsync();
        await Expect(page.Locator("#device-title")).ToHaveTextAsync("e2e-press-7");
        await Expect(page.Locator("#inventory")).ToContainTextAsync("cores");
        await Expect(page.Locator("#telemetry-chart svg")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var before = await SampleCountAsync(page);
        // The chart moves as samples arrive, without a reload.
        await PortalPages.WaitUntilAsync(page, $"() => parseInt(document.querySelector('#sample-count').textContent) > {before}");
        await PortalPages.ScreenshotAsync(page, shots, "25-device-details");

        await page.Locator("#nav-groups").ClickAsync();
        await page.Locator("#new-group").ClickAsync();
        var dialog = page.GetByRole(Microsoft.Playwright.AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("Madrid presses");
        await dialog.GetByLabel("Label selector (optional)").FillAsync("site=madrid, role=press");
        await dialog.GetByLabel("Label selector (optional)").PressAsync("Tab");
        // Before saving, the dialog says who the selector matches.
        await Expect(page.Locator("#group-preview-count")).ToHaveTextAsync("1 device matches:");
        await Expect(page.Locator("#group-preview-names")).ToHaveTextAsync("e2e-press-7");
        await PortalPages.ScreenshotAsync(page, shots, "26a-group-selector-preview");
        await page.Locator("#save-group").ClickAsync();
        var card = page.Locator(".group-card", new() { Has = page.Locator(".group-name", new() { HasText = "Madrid presses" }) });
        await Expect(card).ToContainTextAsync("e2e-press-7");
        await PortalPages.ScreenshotAsync(page, shots, "26-groups");
        await page.Locator("#nav-devices").ClickAsync();

        await page.Locator("button[aria-label='Decommission e2e-press-7']").ClickAsync();
        await Expect(page.Locator("#decommission-message")).ToContainTextAsync("secret stops working");
        await Expect(page.Locator("#decommission-no-workloads")).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, shots, "23-decommission-confirmation");
        await page.Locator("#decommission-ok").ClickAsync();
        await Expect(row.Locator(".device-status")).ToHaveTextAsync("Decommissioned");
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(4, agent.ExitCode);

        await page.Locator("a[href='/']").First.ClickAsync();
        await Expect(page.Locator("#fleet-events")).ToContainTextAsync("e2e-press-7");
        await PortalPages.ScreenshotAsync(page, shots, "24-dashboard-fleet");

        // A decommissioned device can be removed from the list, after a confirmation that says what goes.
        await page.Locator("#nav-devices").ClickAsync();
        await page.Locator("button[aria-label='Remove e2e-press-7 from the list']").ClickAsync();
        await Expect(page.Locator("#confirm-message")).ToContainTextAsync("history and telemetry are deleted");
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator(".device-name", new() { HasText = "e2e-press-7" })).ToHaveCountAsync(0);
    }

    private static async Task<int> SampleCountAsync(Microsoft.Playwright.IPage page) =>
        int.Parse((await page.Locator("#sample-count").TextContentAsync())!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }
}

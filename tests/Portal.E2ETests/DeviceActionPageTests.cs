using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// An admin runs remote actions from a device's page on a real agent: a reboot the device refuses (its settings do not
/// allow one) shows Failed with the reason; a restart of the agent shows Running, then (the test playing systemd and
/// starting the agent again) Succeeded, live, without a reload.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class DeviceActionPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string data = Path.Combine(Path.GetTempPath(), "portal-e2e-actions", Guid.NewGuid().ToString("N"));
    private readonly List<AgentProcess> agents = [];
    private string? device;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    private static Dictionary<string, string> Environment => new()
    {
        ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(),
        ["Agent__Actions__Restartable"] = "true",
        ["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Admin_RunsActionsFromTheDevicePage_AndWatchesTheirOutcome()
    {
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "press-12", ct);
        var agent = AgentProcess.Start(Environment, "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", data, "--name", "press-12");
        agents.Add(agent);
        device = await agent.WaitUntilOnlineAsync(admin, "press-12", ct);

        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await page.GotoAsync($"/devices/{device}");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#device-actions-empty")).ToBeVisibleAsync();
        await page.Locator("#actions-section").ScrollIntoViewIfNeededAsync();

        await page.Locator("#device-actions-menu").ClickAsync();
        await page.Locator("#action-RebootHost").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog.Locator("#action-consequence")).ToContainTextAsync("The whole machine reboots");
        await Expect(dialog.Locator("#action-ok")).ToHaveTextAsync("Reboot host");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, shots, "91-device-action-confirm-reboot");
        await dialog.Locator("#action-ok").ClickAsync();
        var reboot = page.Locator("tr.device-action", new() { HasText = "Reboot host" });
        await Expect(reboot.Locator(".action-state")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Expect(reboot.Locator(".action-message")).ToContainTextAsync("Agent:Actions:AllowReboot");

        await page.Locator("#device-actions-menu").ClickAsync();
        await page.Locator("#action-RestartAgent").ClickAsync();
        await Expect(dialog.Locator("#action-consequence")).ToContainTextAsync("keep running");
        await dialog.Locator("#action-ok").ClickAsync();
        var restart = page.Locator("tr.device-action", new() { HasText = "Restart agent" });
        await Expect(restart.Locator(".action-state")).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
        await Expect(restart.Locator(".action-message")).ToContainTextAsync("Restarting the agent");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, shots, "92-device-action-restarting");

        // systemd's part: the agent stopped with exit code 10 and is started again.
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(10, agent.ExitCode);
        agents.Add(AgentProcess.Start(Environment, "--portal", browser.BaseAddress.ToString(), "--data-dir", data));
        await Expect(restart.Locator(".action-state")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(restart.Locator(".action-message")).ToContainTextAsync("restarted");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, shots, "93-device-actions-done");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }

        if (device is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(device);
        }

        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

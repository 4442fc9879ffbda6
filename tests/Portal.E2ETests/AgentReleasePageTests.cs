using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// An admin uploads an agent release in the browser and rolls it out to a group: a real agent (a release build of
/// 0.5.1 under portal-agent-launch) updates itself to 0.5.2, and the admin watches the fleet's versions change live on
/// the releases page and filters the Devices page by version.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class AgentReleasePageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "portal-e2e-agent-update-" + Guid.NewGuid().ToString("N"));
    private AgentProcess? launcher;

    public ValueTask InitializeAsync()
    {
        if (Portal.Shared.AgentReleases.AgentReleaseManifest.CurrentArchitecture() != "linux-x64")
        {
            Assert.Skip("The release builds here are published for linux-x64 only.");
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Admin_UploadsARelease_RollsItOutToAGroup_AndWatchesTheAgentUpdate()
    {
        var a = await AgentBuilds.PublishAsync("0.5.1", ct);
        var b = await AgentBuilds.PublishAsync("0.5.2", ct);
        var home = Path.Combine(root, "opt");
        Directory.CreateDirectory(Path.Combine(home, "versions", "0.5.1"));
        File.Copy(a, Path.Combine(home, "versions", "0.5.1", "portal-agent"));
        File.Copy(Path.Combine(AgentBuilds.RepositoryRoot(), "Portal.Agent", "deploy", "portal-agent-launch"), Path.Combine(home, "portal-agent-launch"));
        File.CreateSymbolicLink(Path.Combine(home, "current"), Path.Combine(home, "versions", "0.5.1", "portal-agent"));

        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "e2e agent update", ct);
        launcher = AgentProcess.StartCommand("/bin/sh", new Dictionary<string, string>
        {
            ["PORTAL_AGENT_HOME"] = home,
            ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(root, "bundle"),
            ["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
            ["Agent__ReconcileIntervalSeconds"] = "2",
            ["Agent__TelemetryIntervalSeconds"] = "1",
        }, Path.Combine(home, "portal-agent-launch"), "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", Path.Combine(root, "data"), "--name", "line-7-gateway");
        var deviceId = await launcher.WaitUntilOnlineAsync(admin, "line-7-gateway", ct);
        using (var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Line 7 gateways", StaticMembers: [deviceId]), ct))
        {
            group.EnsureSuccessStatusCode();
        }

        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#nav-agent-releases").ClickAsync();
        await Expect(page.Locator("#no-releases")).ToBeVisibleAsync();
        await Expect(page.Locator("#fleet-versions")).ToContainTextAsync("0.5.1 · 1 device", new() { Timeout = 30_000 });
        await PortalPages.ScreenshotAsync(page, shots, "65-agent-releases-empty");

        await page.Locator("#upload-release-open").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("#release-version").FillAsync("0.5.2");
        await dialog.Locator("#release-notes").FillAsync("Faster reconnects after a portal restart.");
        await dialog.Locator("#file-linux-x64 input[type=file]").SetInputFilesAsync(b);
        await Expect(dialog.Locator("#chosen-linux-x64")).ToContainTextAsync("MB");
        await PortalPages.ScreenshotAsync(page, shots, "66-agent-release-upload");
        await dialog.Locator("#upload-release").ClickAsync();
        await Expect(page.Locator("#releases .release-version")).ToHaveTextAsync("0.5.2", new() { Timeout = 120_000 });
        await PortalPages.ScreenshotAsync(page, shots, "67-agent-releases");

        await page.Locator(".rollout-release").ClickAsync();
        dialog = page.Locator(".mud-dialog");
        await dialog.Locator("#rollout-groups .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Line 7 gateways" }).ClickAsync();
        await PortalPages.CloseListAsync(page);
        await PortalPages.ScreenshotAsync(page, shots, "68-agent-release-rollout");
        await dialog.Locator("#start-rollout").ClickAsync();
        await Expect(page.Locator("#deployment-title")).ToHaveTextAsync("Agent 0.5.2");
        await Expect(page.Locator("#deployment-state")).ToHaveTextAsync("Completed", new() { Timeout = 120_000 });
        await PortalPages.ScreenshotAsync(page, shots, "69-agent-update-deployment");

        await page.Locator("#nav-agent-releases").ClickAsync();
        await Expect(page.Locator("#fleet-versions")).ToContainTextAsync("0.5.2 · 1 device", new() { Timeout = 30_000 });
        await Expect(page.Locator("#releases .release-devices")).ToHaveTextAsync("1 device");
        await page.Locator(".version-chip", new() { HasText = "0.5.2" }).ClickAsync();
        await Expect(page.Locator("#devices-grid")).ToContainTextAsync("line-7-gateway");
        await PortalPages.ScreenshotAsync(page, shots, "70-devices-by-agent-version");
    }

    public async ValueTask DisposeAsync()
    {
        if (launcher is not null)
        {
            await launcher.DisposeAsync();
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

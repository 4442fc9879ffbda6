using System.Net.Http.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// An admin runs one action on a whole group from the Remote actions page: the dialog says how many devices it reaches and
/// how many are offline; queued until online, each device's row shows Queued with its expiry in the fleet's table.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class FleetActionPageTests(BrowserFixture browser)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_QueuesAPruneOnAGroup_AndSeesEveryDevicesRow()
    {
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        foreach (var name in new[] { $"dryer-{suffix}-1", $"dryer-{suffix}-2" })
        {
            ids.Add((await ApiClient.EnrollDeviceAsync(admin, name, ct)).DeviceId);
        }

        using (var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest($"Dryers {suffix}", StaticMembers: ids), ct))
        {
            group.EnsureSuccessStatusCode();
        }

        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#nav-device-actions").ClickAsync();
        await Expect(page.Locator("#device-actions-title")).ToBeVisibleAsync();

        await page.Locator("#fleet-action-open").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog.Locator("#fleet-action-ok")).ToHaveTextAsync("Choose devices");
        await dialog.Locator("#fleet-action-groups .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = $"Dryers {suffix}" }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog.Locator("#fleet-action-targets")).ToHaveTextAsync("Runs on 2 devices: 0 online, 2 offline (the offline ones fail at once unless queued).");
        await dialog.Locator("#action-queue").ClickAsync();
        await Expect(dialog.Locator("#fleet-action-ok")).ToHaveTextAsync("Prune unused images on 2 devices");
        await PortalPages.ScreenshotAsync(page, shots, "96-fleet-action-dialog");
        await dialog.Locator("#fleet-action-ok").ClickAsync();

        foreach (var n in new[] { 1, 2 })
        {
            var row = page.Locator("#fleet-actions tr.device-action", new() { HasText = $"dryer-{suffix}-{n}" });
            await Expect(row.Locator(".action-state")).ToHaveTextAsync("Queued");
            await Expect(row.Locator(".action-message")).ToContainTextAsync("Gives up at");
        }

        await PortalPages.ScreenshotAsync(page, shots, "97-fleet-actions");
    }
}

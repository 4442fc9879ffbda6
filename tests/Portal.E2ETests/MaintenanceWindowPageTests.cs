using System.Net.Http.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// An operator gives a group maintenance windows on the Groups page: a bad start time is refused with the reason in the
/// dialog; a good window is saved, shown on the group's card with when the next one opens in the site's zone, and is
/// what the API returns.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class MaintenanceWindowPageTests(BrowserFixture browser)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Operator_SetsAGroupsWindows_AndSeesWhenTheNextOpens()
    {
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        var name = $"Kilns {Guid.NewGuid():N}"[..12];
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest(name), ct);
        var group = (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!;

        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await page.GotoAsync("/groups");
        await PortalPages.WaitForCircuitAsync(page);
        var card = page.Locator(".group-card", new() { HasText = name });
        await Expect(card.Locator(".group-windows")).ToContainTextAsync("None: deployments may change these devices at any time");

        await card.Locator(".edit-windows").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog.Locator("#no-windows")).ToBeVisibleAsync();
        await dialog.Locator("#add-window").ClickAsync();
        await dialog.Locator(".window-days .mud-chip", new() { HasText = "Wed" }).ClickAsync();
        await dialog.Locator(".window-start input").FillAsync("25:00");
        await dialog.Locator(".window-zone input").FillAsync("Europe/Madrid");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Europe/Madrid" }).ClickAsync();
        await dialog.Locator("#save-windows").ClickAsync();
        await Expect(dialog.Locator("#windows-error")).ToContainTextAsync("its start must be a time of day as HH:mm");

        await dialog.Locator(".window-start input").FillAsync("03:30");
        await dialog.Locator(".window-duration input").FillAsync("120");
        await dialog.Locator(".window-duration input").PressAsync("Tab");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "94-maintenance-windows-dialog");
        await dialog.Locator("#save-windows").ClickAsync();

        await Expect(card.Locator(".group-windows")).ToContainTextAsync("Wed, Sat, Sun 03:30 for 2 h (Europe/Madrid)");
        await Expect(card.Locator(".window-next")).ToContainTextAsync("Europe/Madrid");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "95-group-maintenance-windows");
        var saved = (await admin.GetFromJsonAsync<List<MaintenanceWindow>>(ApiRoutes.GroupMaintenanceWindows(group.Id), ct))!;
        var window = Assert.Single(saved);
        Assert.Equal(["Wednesday", "Saturday", "Sunday"], window.Days);
        Assert.Equal(("03:30", 120, "Europe/Madrid"), (window.Start, window.DurationMinutes, window.TimeZone));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Features.Audit;
using Portal.Features.Marketplace;
using Portal.Shared.Marketplace;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// An admin uploads an app's icon from the app's page and the catalog shows it; an app whose icon link is dead shows
/// the generic icon instead of a broken image.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class AppIconTests(BrowserFixture browser)
{
    // A real 2x2 PNG (red, green / blue, white).
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==");

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_UploadsAnIcon_AndADeadIconLinkShowsTheGenericIcon()
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var uploaded = await CreateAppAsync($"icon-up-{suffix}", "Icon upload check", null);
        var dead = await CreateAppAsync($"icon-dead-{suffix}", "Dead icon link check", "/assets/marketplace/no-such-icon.png");
        var file = Path.Combine(Path.GetTempPath(), $"icon-{suffix}.png");
        await File.WriteAllBytesAsync(file, Png, ct);
        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);

        await page.GotoAsync($"/marketplace/{uploaded}");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#upload-icon")).ToContainTextAsync("Upload icon");
        await page.Locator("input[type=file]").SetInputFilesAsync(file);
        await Expect(page.Locator("#remove-icon")).ToBeVisibleAsync();
        await Expect(page.Locator("#upload-icon")).ToContainTextAsync("Replace icon");
        var icon = page.Locator("img.app-icon-large");
        await Expect(icon).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex($"/api/v1/marketplace/apps/{uploaded}/icon\\?v="));
        await PortalPages.WaitUntilAsync(page, "document.querySelector('img.app-icon-large')?.naturalWidth === 2");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "46-app-icon-uploaded");

        await page.GotoAsync($"/marketplace/{dead}");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("img.app-icon-large")).ToHaveCountAsync(0);
        await Expect(page.Locator("svg.app-icon-large, .app-icon-large")).ToBeVisibleAsync();

        await page.GotoAsync("/marketplace");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator($"img[alt='Dead icon link check']")).ToHaveCountAsync(0);
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "47-marketplace-icons");
        await page.Context.CloseAsync();
        File.Delete(file);
    }

    private async Task<string> CreateAppAsync(string id, string name, string? icon)
    {
        var marketplace = browser.Portal.Services.GetRequiredService<MarketplaceService>();
        var definition = new AppDefinition(id, name, "Edge Portal tests", "Testing", "Checks app icons.", icon,
            [new AppVersion("1", "local/busybox:1", ["sleep", "3600"])]);
        var result = await marketplace.CreateAsync(definition, certified: true, AuditActor.System, ct);
        Assert.True(result.Succeeded, result.Error);
        return id;
    }
}

using Microsoft.Playwright;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

[Collection(nameof(SharedBrowser))]
public sealed class DialogTests(BrowserFixture browser)
{
    [Fact]
    public async Task Dialogs_EscapePressed_CloseWithoutSaving_AndNewUserShowsThePasswordRulesFirst()
    {
        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);

        await page.Locator("#nav-groups").ClickAsync();
        await page.Locator("#new-group").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("Escaped group");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.GetByText("Escaped group")).ToHaveCountAsync(0);

        await page.Locator("#nav-users").ClickAsync();
        await page.Locator("#new-user").ClickAsync();
        await Expect(dialog).ToContainTextAsync("characters, with an upper-case letter, a lower-case letter, a digit and a symbol");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "90-new-user-password-rules");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>What a person does on the portal's pages, in Playwright steps.</summary>
internal static class PortalPages
{
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#sign-in").ClickAsync();
    }

    /// <summary>The theme toggle renders only once the interactive circuit is up, so clicks after this reach the server.</summary>
    public static Task WaitForCircuitAsync(IPage page) => Expect(page.Locator("#theme-toggle")).ToBeVisibleAsync();

    public static async Task SignOutAsync(IPage page)
    {
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
    }

    public static Task ScreenshotAsync(IPage page, string folder, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
}

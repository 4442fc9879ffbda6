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
    /// <summary>
    /// Closes an open MudBlazor list (select) once the choice has reached the server. Escape is handled by a key
    /// interceptor the component re-attaches when it re-renders, so a key pressed mid-render can be lost: press again
    /// until the list is closed (bounded), rather than failing on a dropped key press.
    /// </summary>
    public static async Task CloseListAsync(IPage page)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0, new() { Timeout = 3000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 4)
            {
            }
        }
    }

    /// <summary>
    /// Polls a JavaScript condition from the test side. Playwright's WaitForFunction compiles its expression inside the
    /// page with eval, which the portal's content security policy (rightly) refuses; Evaluate goes through the
    /// browser's debugging protocol, which the policy does not govern.
    /// </summary>
    public static async Task WaitUntilAsync(IPage page, string condition, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await page.EvaluateAsync<bool>(condition))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page never satisfied: {condition}");
            }

            await Task.Delay(100);
        }
    }

    public static Task WaitForCircuitAsync(IPage page) => Expect(page.Locator("#theme-toggle")).ToBeVisibleAsync();

    public static async Task SignOutAsync(IPage page)
    {
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
    }

    public static Task ScreenshotAsync(IPage page, string folder, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
}

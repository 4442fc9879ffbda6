using System.Net.Http.Json;
using Microsoft.Playwright;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Users;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

[Collection(nameof(SharedBrowser))]
public sealed class AccountTests(BrowserFixture browser)
{
    [Fact]
    public async Task ThemeToggle_Chosen_IsRememberedAcrossSignIns()
    {
        await CreateUserAsync("theme@portal.local", "Theme-Passw0rd!", PortalRoles.Viewer);
        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, "theme@portal.local", "Theme-Passw0rd!");
        await PortalPages.WaitForCircuitAsync(page);
        var light = await BackgroundAsync(page);

        await page.Locator("#theme-toggle").ClickAsync();
        await PortalPages.WaitUntilAsync(page, $"() => getComputedStyle(document.body).backgroundColor !== '{light}'");
        var dark = await BackgroundAsync(page);
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "10-dashboard-dark");
        // The choice is saved by the time a reload renders it.
        await page.ReloadAsync();
        await PortalPages.WaitForCircuitAsync(page);
        Assert.Equal(dark, await BackgroundAsync(page));

        await PortalPages.SignOutAsync(page);
        await PortalPages.SignInAsync(page, "theme@portal.local", "Theme-Passw0rd!");
        await PortalPages.WaitForCircuitAsync(page);

        Assert.NotEqual(light, dark);
        Assert.Equal(dark, await BackgroundAsync(page));
    }

    [Fact]
    public async Task ChangePassword_OnMyAccount_NewPasswordSignsIn()
    {
        await CreateUserAsync("changer@portal.local", "First-Passw0rd!", PortalRoles.Operator);
        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, "changer@portal.local", "First-Passw0rd!");
        await PortalPages.WaitForCircuitAsync(page);

        await page.Locator("#nav-account").ClickAsync();
        await Expect(page.Locator("#account-email")).ToHaveTextAsync("changer@portal.local");
        await page.Locator("#current-password").FillAsync("Wrong-Passw0rd!");
        await page.Locator("#new-password").FillAsync("Second-Passw0rd!");
        await page.Locator("#confirm-password").FillAsync("Second-Passw0rd!");
        await page.Locator("#change-password").ClickAsync();
        await Expect(page.GetByText("The current password is not right.")).ToBeVisibleAsync();

        await page.Locator("#current-password").FillAsync("First-Passw0rd!");
        await page.Locator("#new-password").FillAsync("Second-Passw0rd!");
        await page.Locator("#confirm-password").FillAsync("Second-Passw0rd!");
        await page.Locator("#change-password").ClickAsync();
        await Expect(page.Locator("#password-changed")).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "11-my-account");

        await PortalPages.SignOutAsync(page);
        await PortalPages.SignInAsync(page, "changer@portal.local", "Second-Passw0rd!");
        await Expect(page.Locator("#dashboard-title")).ToContainTextAsync("changer@portal.local");
    }

    [Fact]
    public async Task SignIn_RepeatedFailures_ShowsTheLockoutMessage()
    {
        await CreateUserAsync("locked@portal.local", "Locked-Passw0rd!", PortalRoles.Viewer);
        var page = await browser.NewPageAsync();

        for (var i = 0; i < 5; i++)
        {
            await PortalPages.SignInAsync(page, "locked@portal.local", "Wrong-Passw0rd!");
            await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        }

        await PortalPages.SignInAsync(page, "locked@portal.local", "Locked-Passw0rd!");
        await Expect(page.Locator("#login-error")).ToContainTextAsync("This account is locked after too many failed sign-ins. Try again in 15 minutes");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "12-sign-in-locked");
    }

    private async Task CreateUserAsync(string email, string password, string role)
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        using var http = new HttpClient { BaseAddress = browser.BaseAddress };
        using var login = await http.PostAsJsonAsync(ApiRoutes.Login, new { email = PortalFactory.AdminEmail, password = PortalFactory.AdminPassword });
        var token = (await login.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["accessToken"].ToString();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var created = await http.PostAsJsonAsync(ApiRoutes.Users, new CreateUserRequest(email, password, [role]));
        created.EnsureSuccessStatusCode();
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
}

using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Features.Users;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Users;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

[Collection(nameof(SharedBrowser))]
public sealed class TwoFactorTests(BrowserFixture browser)
{
    private const string Password = "Two-Factor-Passw0rd!";

    [Fact]
    public async Task TwoFactor_SetUpInTheBrowser_SignsInWithACodeOrARecoveryCodeAndRefusesAWrongOne()
    {
        const string email = "two-factor@portal.local";
        await CreateUserAsync(email, PortalRoles.Operator);
        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, email, Password);
        await Expect(page.Locator("#dashboard-title")).ToContainTextAsync(email);

        // Set-up is a statically rendered account page: no circuit to wait for.
        await page.GotoAsync("/Account/Manage");
        await page.Locator("#manage-two-factor").ClickAsync();
        await Expect(page.Locator("#two-factor-qr")).ToBeVisibleAsync();
        await PortalPages.WaitUntilAsync(page, "() => { const q = document.getElementById('two-factor-qr'); return q.complete && q.naturalWidth > 100; }");
        var key = (await page.Locator("#shared-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "63-2fa-setup");
        await page.Locator("#verification-code").FillAsync(Totp.Wrong(key));
        await page.Locator("#enable-2fa").ClickAsync();
        await Expect(page.Locator("#two-factor-error")).ToBeVisibleAsync();
        await page.Locator("#verification-code").FillAsync(Totp.Now(key));
        await page.Locator("#enable-2fa").ClickAsync();
        await Expect(page.Locator("#two-factor-status")).ToHaveTextAsync("Two-factor sign-in is on");
        var recoveryCodes = await page.Locator(".recovery-code").AllInnerTextsAsync();
        Assert.Equal(10, recoveryCodes.Count);

        // A wrong code is refused; the right one signs in.
        await PortalPages.SignOutAsync(page);
        await PortalPages.SignInAsync(page, email, Password);
        await Expect(page).ToHaveURLAsync(new Regex("/Account/LoginWith2fa"));
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "64-2fa-login");
        await page.Locator("#two-factor-code").FillAsync(Totp.Wrong(key));
        await page.Locator("#verify-code").ClickAsync();
        await Expect(page.Locator("#login-error")).ToContainTextAsync("That code is not right");
        await page.Locator("#two-factor-code").FillAsync(Totp.Now(key));
        await page.Locator("#verify-code").ClickAsync();
        await Expect(page.Locator("#dashboard-title")).ToContainTextAsync(email);
        await PortalPages.WaitForCircuitAsync(page);

        // A recovery code signs in once.
        await PortalPages.SignOutAsync(page);
        await PortalPages.SignInAsync(page, email, Password);
        await page.Locator("#use-recovery-code").ClickAsync();
        await page.Locator("#recovery-code").FillAsync(recoveryCodes[0]);
        await page.Locator("#verify-recovery-code").ClickAsync();
        await Expect(page.Locator("#dashboard-title")).ToContainTextAsync(email);

        // Turning it off asks for the password; then the password alone signs in again.
        await page.GotoAsync("/Account/Manage/TwoFactor");
        await page.Locator("#disable-password").FillAsync("Wrong-Passw0rd!");
        await page.Locator("#disable-2fa").ClickAsync();
        await Expect(page.Locator("#two-factor-error")).ToHaveTextAsync("The password is not right.");
        await page.Locator("#disable-password").FillAsync(Password);
        await page.Locator("#disable-2fa").ClickAsync();
        await Expect(page.Locator("#two-factor-message")).ToHaveTextAsync("Two-factor sign-in is off.");
        await PortalPages.SignOutAsync(page);
        await PortalPages.SignInAsync(page, email, Password);
        await Expect(page.Locator("#dashboard-title")).ToContainTextAsync(email);
    }

    [Fact]
    public async Task Admin_TwoFactorRequiredFromTheUsersPage_IsSentToSetUpFirst()
    {
        const string email = "enforced-admin@portal.local";
        await CreateUserAsync(email, PortalRoles.Admin);
        var policy = browser.Portal.Services.GetRequiredService<TwoFactorPolicy>();
        try
        {
            var admin = await browser.NewPageAsync();
            await PortalPages.SignInAsync(admin, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
            await Expect(admin.Locator("#dashboard-title")).ToBeVisibleAsync();
            await admin.GotoAsync("/users");
            await PortalPages.WaitForCircuitAsync(admin);
            await admin.GetByText("Require two-factor sign-in for admins").ClickAsync();
            await Expect(admin.GetByText("Admins must now use two-factor sign-in.")).ToBeVisibleAsync();
            Assert.True(policy.RequiredForAdmins);

            var page = await browser.NewPageAsync();
            await PortalPages.SignInAsync(page, email, Password);
            await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/TwoFactor"));
            await Expect(page.Locator("#two-factor-required")).ToBeVisibleAsync();
            await Expect(page.Locator("#two-factor-qr")).ToBeVisibleAsync();
            await page.GotoAsync("/devices");
            await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/TwoFactor"));
        }
        finally
        {
            // The browser's portal is shared with the other tests, which sign in as admins without two-factor.
            await policy.SetRequiredForAdminsAsync(false, Portal.Features.Audit.AuditActor.System, TestContext.Current.CancellationToken);
            // ...and one of them checks the "only active admin" note, so leave no second admin behind.
            await using var scope = browser.Portal.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Portal.Data.PortalUser>>();
            if (await users.FindByEmailAsync(email) is { } created)
            {
                await users.DeleteAsync(created);
            }
        }
    }

    private async Task CreateUserAsync(string email, string role)
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        using var http = new HttpClient { BaseAddress = browser.BaseAddress };
        using var login = await http.PostAsJsonAsync(ApiRoutes.Login, new { email = PortalFactory.AdminEmail, password = PortalFactory.AdminPassword });
        var token = (await login.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["accessToken"].ToString();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var created = await http.PostAsJsonAsync(ApiRoutes.Users, new CreateUserRequest(email, Password, [role]));
        created.EnsureSuccessStatusCode();
    }
}

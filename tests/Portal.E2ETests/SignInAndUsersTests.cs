using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Features.Audit;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

[Collection(nameof(SharedBrowser))]
public sealed class SignInAndUsersTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_CreatesOperator_OperatorCannotSeeOrOpenUsers()
    {
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await PortalPages.ScreenshotAsync(page, shots, "01-sign-in");

        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await Expect(page.Locator("#dashboard-title")).ToContainTextAsync(PortalFactory.AdminEmail);
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#signed-in-user")).ToContainTextAsync("Admin");
        await PortalPages.ScreenshotAsync(page, shots, "02-dashboard-admin");

        await page.Locator("#nav-users").ClickAsync();
        // Other tests share this portal, so look for the users this test is about, not for an exact list.
        await Expect(page.Locator(".user-email", new() { HasText = PortalFactory.AdminEmail })).ToBeVisibleAsync();
        await Expect(page.Locator(".user-email", new() { HasText = "operator@portal.local" })).ToHaveCountAsync(0);
        // The note shows only while the seeded admin is the sole active admin; another test in this shared portal may
        // have added an admin, so check the note against the portal's own count rather than assume the order of tests.
        if (await ActiveAdminCountAsync() == 1)
        {
            await Expect(page.Locator("#last-admin-note")).ToContainTextAsync($"{PortalFactory.AdminEmail} is the only active admin");
        }
        else
        {
            await Expect(page.Locator("#last-admin-note")).ToHaveCountAsync(0);
        }

        await PortalPages.ScreenshotAsync(page, shots, "03-users");

        await page.Locator("#new-user").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync("operator@portal.local");
        await dialog.GetByLabel("Initial password").FillAsync("Operator-Passw0rd!");
        await dialog.GetByLabel("Initial password").PressAsync("Tab");
        await Expect(dialog.GetByLabel("Email")).ToHaveValueAsync("operator@portal.local");
        await Expect(dialog.GetByLabel("Initial password")).ToHaveValueAsync("Operator-Passw0rd!");
        await Expect(dialog.Locator(".mud-shrink")).ToHaveCountAsync(3); // every label has floated above its value
        await PortalPages.ScreenshotAsync(page, shots, "04-new-user-dialog");
        await dialog.Locator("#create-user").ClickAsync();
        await Expect(page.GetByText("Created operator@portal.local as Operator.")).ToBeVisibleAsync();
        await Expect(page.Locator(".user-email", new() { HasText = "operator@portal.local" })).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, shots, "05-users-with-operator");

        await page.Locator("button[aria-label='Delete operator@portal.local']").ClickAsync();
        await Expect(page.Locator("#confirm-message")).ToContainTextAsync("Delete operator@portal.local? This can't be undone.");
        await PortalPages.ScreenshotAsync(page, shots, "06-delete-confirmation");
        await page.Locator("#confirm-cancel").ClickAsync();
        await Expect(page.Locator("#confirm-message")).ToHaveCountAsync(0);

        // The audit log shows what the admin just did, from the browser's address.
        await page.Locator("#nav-audit").ClickAsync();
        await Expect(page.Locator("#audit-title")).ToBeVisibleAsync();
        var created = page.Locator("tr.audit-row", new() { HasText = "user.created" }).Filter(new() { HasText = "operator@portal.local" });
        await Expect(created).ToHaveCountAsync(1);
        await Expect(created.Locator(".audit-actor")).ToHaveTextAsync(PortalFactory.AdminEmail);
        await Expect(created).ToContainTextAsync("from 127.0.0.1");
        await PortalPages.ScreenshotAsync(page, shots, "60-audit");

        await PortalPages.SignOutAsync(page);
        var signOuts = await browser.Portal.Services.GetRequiredService<AuditQuery>()
            .PageAsync(new AuditFilter(Actor: PortalFactory.AdminEmail, Action: AuditActions.SignOut), 1, 500, TestContext.Current.CancellationToken);
        Assert.Contains(signOuts.Items, e => e.ActorKind == AuditActor.User && e.SourceIp == "127.0.0.1");
        await PortalPages.SignInAsync(page, "operator@portal.local", "Operator-Passw0rd!");
        await Expect(page.Locator("#dashboard-title")).ToContainTextAsync("operator@portal.local");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("#signed-in-user")).ToContainTextAsync("Operator");
        await Expect(page.Locator("#nav-users")).ToHaveCountAsync(0);
        await PortalPages.ScreenshotAsync(page, shots, "07-dashboard-operator");

        await page.GotoAsync("/users");
        await Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
        await Expect(page.Locator(".user-email")).ToHaveCountAsync(0);
        await PortalPages.ScreenshotAsync(page, shots, "08-users-denied-for-operator");
    }

    private async Task<int> ActiveAdminCountAsync()
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Portal.Data.PortalDbContext>();
        return await Portal.Features.Users.UserDirectory.CountActiveAdminsAsync(db, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task SignIn_WrongPassword_SaysSoAndStaysOnTheForm()
    {
        var page = await browser.NewPageAsync();

        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, "Not-The-Passw0rd!");

        await Expect(page.Locator("#login-error")).ToHaveTextAsync("The email or password is not right.");
        await Expect(page.Locator("#email")).ToHaveValueAsync(PortalFactory.AdminEmail);
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "09-sign-in-error");
    }
}

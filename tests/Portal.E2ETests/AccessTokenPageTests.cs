using System.Net.Http.Headers;
using Microsoft.Playwright;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>An operator makes a token in the browser, sees it once, uses it on the API, revokes it; the API docs render.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class AccessTokenPageTests(BrowserFixture browser)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Operator_CreatesATokenUsesItAndRevokesIt_AndReadsTheApiDocs()
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        using (var admin = await ApiClient.AdminAsync(browser.Portal, ct))
        {
            await ApiClient.CreateUserAsync(admin, "automation@portal.local", "Automation-Passw0rd!", PortalRoles.Operator, ct);
        }

        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, "automation@portal.local", "Automation-Passw0rd!");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#nav-access-tokens").ClickAsync();
        await Expect(page.Locator("#tokens-empty")).ToBeVisibleAsync();
        await page.Locator("#token-name input, input#token-name").First.FillAsync("nightly upload");
        await page.Locator("#token-create").ClickAsync();
        var secret = page.Locator("#token-secret");
        await Expect(secret).ToContainTextAsync("pat_");
        await Expect(page.Locator("#tokens-table")).ToContainTextAsync("nightly upload");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "61-access-tokens");

        using (var http = new HttpClient { BaseAddress = browser.BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await secret.TextContentAsync())!.Trim());
            using var devices = await http.GetAsync(new Uri(ApiRoutes.Devices, UriKind.Relative), ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, devices.StatusCode);
        }

        await page.Locator("#revoke-nightly\\ upload").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("#tokens-table")).ToContainTextAsync("Revoked");
        await Expect(page.Locator("#token-created")).ToHaveCountAsync(0);

        // The API reference renders under the docs page's content security policy.
        await page.GotoAsync("/api/docs");
        // Nothing may be fetched from anywhere but the portal (Scalar's web fonts are switched off).
        var offSite = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(browser.BaseAddress.ToString(), StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                offSite.Add(r.Url);
            }
        };
        await page.ReloadAsync();
        await Expect(page.GetByText("Edge AI Portal API").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // Scalar renders the operations lazily; its sidebar lists every tag at once.
        await Expect(page.GetByRole(AriaRole.Complementary).GetByText("Access tokens").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Complementary).GetByText("Deployments").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(browser.ScreenshotDirectory, "62-api-docs.png") });
        Assert.Empty(offSite);
    }
}

using System.Net.Http.Json;
using Portal.Shared.Devices;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>Script in free text is stored as given and shown as text: nothing runs in the browser.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class ScriptInjectionTests(BrowserFixture browser)
{
    private const string Payload = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScriptTags_InNamesAndDescriptions_AreStoredAsGivenAndRenderedAsText()
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        using (var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("xss " + Payload, Payload, new Dictionary<string, string> { ["site"] = "xss" }, []), ct))
        {
            group.EnsureSuccessStatusCode();
            Assert.Equal("xss " + Payload, (await group.Content.ReadFromJsonAsync<GroupDto>(ct))!.Name);
        }

        using (var model = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("xss-model", Payload, ["<b>tag</b>"]), ct))
        {
            model.EnsureSuccessStatusCode();
            Assert.Equal(Payload, (await model.Content.ReadFromJsonAsync<ModelDto>(ct))!.Description);
        }

        var page = await browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, d) =>
        {
            dialogs++;
            _ = d.DismissAsync();
        };
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        foreach (var path in new[] { "/groups", "/models", "/models/xss-model" })
        {
            await page.GotoAsync(path);
            await PortalPages.WaitForCircuitAsync(page);
            await Expect(page.GetByText(Payload).First).ToBeVisibleAsync();
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
            Assert.Equal(0, await page.Locator("main script, main img[src='x']").CountAsync());
        }

        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "65-script-shown-as-text");
        Assert.Equal(0, dialogs);
    }
}

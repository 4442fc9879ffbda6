using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Shared.Deployments;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// A phone 390 px wide: no page is wider than the screen (tables scroll inside their own box), the app bar's title
/// stays on one line and its controls stay on the screen.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class PhoneLayoutTests(BrowserFixture browser)
{
    private static readonly string[] Pages = ["/", "/devices", "/groups", "/deployments", "/marketplace", "/models", "/alerts", "/alert-rules", "/notifications", "/audit", "/Account/Manage"];

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task At390PixelsWide_NoPageOverflowsAndTheAppBarFits()
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        await SeedDeploymentAsync();
        var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);

        var problems = new List<string>();
        var number = 91;
        foreach (var path in Pages)
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("#signed-in-user")).ToBeAttachedAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (width > 390)
            {
                var widest = await page.EvaluateAsync<string>(WidestElement);
                problems.Add($"{path} is {width} px wide ({widest})");
            }

            // One line of title (an h6 line is about 32 px), and the app bar's last control (sign out) on the screen.
            var titleHeight = await page.Locator(".brand-title").EvaluateAsync<double>("e => e.getBoundingClientRect().height");
            if (titleHeight > 40)
            {
                problems.Add($"{path}: the app bar title wraps ({titleHeight:0} px high)");
            }

            var signOutRight = await page.Locator("#sign-out").EvaluateAsync<double>("e => e.getBoundingClientRect().right");
            if (signOutRight > 390)
            {
                problems.Add($"{path}: the sign-out button is cut off (ends at {signOutRight:0} px)");
            }

            await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, $"{number++}-phone{path.Replace('/', '-').TrimEnd('-')}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await context.CloseAsync();
    }

    // The element whose right edge reaches furthest, named by tag, id and class, to say what overflows.
    private const string WidestElement = """
        (() => { let best = null, right = 0;
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect().right;
            if (r > right + 0.5 && e.offsetParent !== null) { right = r; best = e; } }
          return best ? `${best.tagName.toLowerCase()}#${best.id}.${String(best.className).split(' ').slice(0, 3).join('.')} ends at ${Math.round(right)} px` : 'nothing'; })()
        """;

    private async Task SeedDeploymentAsync()
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.Deployments.Add(new Deployment
        {
            Name = "phone-" + Guid.NewGuid().ToString("N")[..8] + "-camera-line-inspection",
            SourceId = "phone-app", SourceName = "Vision inspection for the packaging line", Version = "2.14.1",
            State = DeploymentState.InProgress, CreatedBy = PortalFactory.AdminEmail, CreatedAt = now, UpdatedAt = now,
        });
        // One long unbreakable name (a pasted id, a hostile name) must wrap inside its card, not widen the page.
        db.Groups.Add(new DeviceGroup { Name = "phone-" + new string('x', 60) + "-" + Guid.NewGuid().ToString("N"), CreatedAt = now });
        await db.SaveChangesAsync(ct);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>A browser in Madrid reads the portal's times in Madrid time, with the zone named, not in UTC.</summary>
[Collection(nameof(SharedBrowser))]
public sealed class TimeZoneTests(BrowserFixture browser)
{
    // 03:21 UTC on a December night is 04:21 in Madrid (UTC+1 in winter).
    private static readonly DateTimeOffset KnownUtc = new(2026, 12, 4, 3, 21, 7, TimeSpan.Zero);

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task BrowserInMadrid_AuditAndDevicePages_ShowMadridTimeWithTheZoneNamed()
    {
        Assert.SkipWhen(browser.Browser is null, browser.SkipReason ?? "No browser.");
        var marker = "tz-" + Guid.NewGuid().ToString("N")[..8];
        await SeedAsync(marker);
        var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
            TimezoneId = "Europe/Madrid",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();

        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.GotoAsync("/audit");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#filter-target input, input#filter-target").First.FillAsync(marker);
        var row = page.Locator("tr.audit-row", new() { HasText = marker });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".audit-time")).ToHaveTextAsync("2026-12-04 04:21:07 UTC+1");
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "66-audit-in-madrid");

        await page.GotoAsync("/devices/" + marker);
        await Expect(page.Locator("#device-title")).ToHaveTextAsync(marker);
        await Expect(page.Locator("#device-summary")).ToContainTextAsync("Enrolled 2026-12-04 04:21 UTC+1");
        // The device is offline: its last values are marked as such, and the chart's time axis names Madrid's offset.
        await Expect(page.Locator("#stale-values")).ToContainTextAsync("offline");
        await Expect(page.Locator("#chart-axes")).ToContainTextAsync(MadridNow());
        await PortalPages.ScreenshotAsync(page, browser.ScreenshotDirectory, "67-device-in-madrid");

        // My account is a static page (no circuit): its times are rewritten in the browser, the same way.
        await page.GotoAsync("/Account/Manage");
        var madrid = MadridNow().Replace("times in ", "", StringComparison.Ordinal);
        await Expect(page.Locator("dd", new() { Has = page.Locator(".local-time") }).First)
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex($@"^\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}} {System.Text.RegularExpressions.Regex.Escape(madrid)}$"));
        await context.CloseAsync();
    }

    private static string MadridNow()
    {
        var offset = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid").GetUtcOffset(DateTimeOffset.UtcNow);
        return $"times in UTC+{offset.Hours}";
    }

    private async Task SeedAsync(string marker)
    {
        await using var scope = browser.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.AuditLog.Add(new AuditEntry
        {
            At = KnownUtc, ActorKind = "System", ActorName = "portal", Action = "device.enrolled",
            Target = "device:" + marker, TargetName = marker, Outcome = "Success",
        });
        db.Devices.Add(new Device { Id = marker, Name = marker, SecretHash = "x", EnrolledAt = KnownUtc });
        var now = DateTimeOffset.UtcNow;
        db.Telemetry.AddRange(Enumerable.Range(0, 30).Select(i => new TelemetryRecord
        {
            DeviceId = marker, Sequence = i + 1, At = now.AddMinutes(-10).AddSeconds(10 * i), CpuPercent = 20 + (i % 7),
            MemoryUsedBytes = 3L << 30, MemoryTotalBytes = 8L << 30, DiskUsedBytes = 40L << 30, DiskTotalBytes = 100L << 30, LoadAverage1m = 0.4,
        }));
        await db.SaveChangesAsync(ct);
    }
}

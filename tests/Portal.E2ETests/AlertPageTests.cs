using Microsoft.Playwright;
using Portal.Shared.Security;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// Notifications and alerts in the browser. An admin creates a webhook channel, sees its signing secret once, sends a
/// test and watches the delivery succeed in the log (a real receiver on 127.0.0.1). An operator creates a CPU rule for
/// one real agent (its CPU counters come from a /proc folder the test writes), sees it fire on the Alerts page and the
/// app bar's count turn to 1 without reloading, and acknowledges it with a note; the device page shows it too.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class AlertPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string OperatorEmail = "alerts-on-call@portal.local";
    private const string OperatorPassword = "Alert-Operator-Passw0rd!";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string data = Path.Combine(Path.GetTempPath(), "portal-e2e-alerts", Guid.NewGuid().ToString("N"));
    private readonly FakeProc proc = new(busyPercent: 95);
    private AgentProcess? agent;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Admin_CreatesAWebhookChannel_SeesTheSecretOnce_AndATestDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await page.GotoAsync("/notifications");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#channel-new").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("#channel-name input").FillAsync("Line 3 automation");
        await dialog.Locator("#channel-kind").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Webhook" }).ClickAsync();
        await dialog.Locator("#channel-webhook-url input").FillAsync(receiver.Url);
        await dialog.Locator("#channel-save").ClickAsync();

        var secretDialog = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "copied" });
        await Expect(secretDialog.Locator("#channel-secret-once")).ToBeVisibleAsync();
        var secret = await secretDialog.Locator("#channel-secret textarea, #channel-secret input").First.InputValueAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, shots, "98-notification-channel-secret");
        await secretDialog.Locator("#channel-secret-done").ClickAsync();

        var row = page.Locator("tr.channel", new() { HasText = "Line 3 automation" });
        await row.Locator(".channel-test").ClickAsync();
        await Expect(page.Locator("#delivery-log .delivery-state").First).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        var received = Assert.Single(await receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10), ct));
        Assert.True(WebhookReceiver.SignatureValid(received, secret));
        await page.Locator("#delivery-log tr.delivery").First.ClickAsync();
        await Expect(page.Locator(".delivery-attempt").First).ToContainTextAsync("200");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, shots, "99-notification-deliveries");
    }

    [Fact]
    public async Task Operator_CreatesACpuRule_SeesItFireLive_AndAcknowledgesIt()
    {
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await ApiClient.CreateUserAsync(admin, OperatorEmail, OperatorPassword, PortalRoles.Operator, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "oven-4", ct);
        agent = AgentProcess.Start(new Dictionary<string, string>
        {
            ["Agent__ProcDirectory"] = proc.Folder,
            ["Agent__TelemetryIntervalSeconds"] = "1",
            ["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", data, "--name", "oven-4");
        var device = await agent.WaitUntilOnlineAsync(admin, "oven-4", ct);

        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        await PortalPages.SignInAsync(page, OperatorEmail, OperatorPassword);
        await page.GotoAsync("/alert-rules");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#rule-new").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("#rule-name input").FillAsync("Oven CPU hot");
        await dialog.Locator("#rule-threshold input").FillAsync("80");
        await dialog.Locator("#rule-clear input").FillAsync("60");
        await dialog.Locator("#rule-for input").FillAsync("3");
        await dialog.Locator("#rule-resolve input").FillAsync("5");
        await dialog.Locator("#rule-devices").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "oven-4" }).ClickAsync();
        await PortalPages.CloseListAsync(page);
        await Expect(dialog.Locator("#rule-sentence")).ToContainTextAsync("CPU above 80 % for 3 s (clears at 60 %)");
        await PortalPages.ScreenshotAsync(page, shots, "100-alert-rule-dialog");
        await dialog.Locator("#rule-save").ClickAsync();
        await Expect(page.Locator("#alert-rules tr", new() { HasText = "Oven CPU hot" })).ToContainTextAsync("1 device");

        await page.Locator("#nav-alerts").ClickAsync();
        var row = page.Locator("#alerts-table tr", new() { HasText = "Oven CPU hot" });
        await Expect(row.Locator(".alert-state")).ToHaveTextAsync("Firing", new() { Timeout = 30_000 });
        await Expect(row).ToContainTextAsync("oven-4");
        await Expect(page.Locator("#alert-count")).ToHaveAttributeAsync("data-unacknowledged", "1", new() { Timeout = 10_000 });
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, shots, "101-alerts-firing");

        await row.Locator(".alert-ack").ClickAsync();
        var ack = page.GetByRole(AriaRole.Dialog);
        await ack.Locator("#ack-note textarea").First.FillAsync("Checking the oven's fan now");
        await PortalPages.ScreenshotAsync(page, shots, "102-alert-ack-dialog");
        await ack.Locator("#ack-ok").ClickAsync();
        await Expect(row.Locator(".alert-acked")).ToContainTextAsync(OperatorEmail);
        await Expect(page.Locator("#alert-count")).ToHaveAttributeAsync("data-unacknowledged", "0");

        await page.GotoAsync($"/devices/{device}");
        await PortalPages.WaitForCircuitAsync(page);
        var panel = page.Locator("#alerts-section");
        await Expect(panel.Locator(".alert-state").First).ToHaveTextAsync("Firing");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, shots, "103-device-alerts");

        // The CPU falls: it resolves on the page, live.
        proc.BusyPercent = 5;
        await Expect(panel.Locator(".alert-state").First).ToHaveTextAsync("Resolved", new() { Timeout = 30_000 });
    }

    public async ValueTask DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        await proc.DisposeAsync();

        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

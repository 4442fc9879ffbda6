using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Playwright;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

[Collection(nameof(SharedBrowser))]
public sealed class DeploymentFlowTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string OperatorEmail = "deployer@portal.local";
    private const string OperatorPassword = "Deployer-Passw0rd!";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-e2e-deploy", Guid.NewGuid().ToString("N"));
    private string? deviceId;

    [Fact]
    public async Task Operator_DeploysACertifiedAppToAGroup_WatchesItReachRunningAndReadsItsLogs()
    {
        DockerEngine.RequireEndpoint();
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("web-e2e"), ct);
        await ApiClient.CreateUserAsync(admin, OperatorEmail, OperatorPassword, PortalRoles.Operator, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "e2e line", ct, labels: new Dictionary<string, string> { ["line"] = "e2e-deploy" });
        using (var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Packing line", "Where the web demo runs", new Dictionary<string, string> { ["line"] = "e2e-deploy" }, []), ct))
        {
            group.EnsureSuccessStatusCode();
        }

        await using var agent = AgentProcess.Start(
            new Dictionary<string, string> { ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(), ["Agent__ReconcileIntervalSeconds"] = "2" },
            "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "packer-01");
        deviceId = await agent.WaitUntilOnlineAsync(admin, "packer-01", ct);
        var port = AgentProcess.FreeLoopbackPort();

        await PortalPages.SignInAsync(page, OperatorEmail, OperatorPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#nav-marketplace").ClickAsync();
        await Expect(page.Locator(".app-card").First).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, shots, "40-marketplace");
        await page.Locator("#app-search input, input#app-search").First.FillAsync("Busybox");
        await page.Locator(".app-card", new() { HasText = "Busybox web server" }).ClickAsync();
        await Expect(page.Locator("#app-title")).ToHaveTextAsync("Busybox web server");
        await PortalPages.ScreenshotAsync(page, shots, "41-app-details");

        await page.Locator("#deploy").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("#param-PORT input, input#param-PORT").First.FillAsync(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await dialog.Locator("#deploy-groups").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Packing line" }).ClickAsync();
        // The choice goes to the server and back before the field shows it; a busy machine takes a moment.
        await Expect(dialog.Locator("#deploy-groups input[role=combobox]")).ToHaveValueAsync("Packing line");
        await PortalPages.CloseListAsync(page);
        await PortalPages.ScreenshotAsync(page, shots, "42-deploy-dialog");
        await dialog.Locator("#deploy-submit").ClickAsync();

        // The per-device table moves on its own as the agent pulls, starts and reports.
        await Expect(page.Locator("#deployment-title")).ToBeVisibleAsync();
        var row = page.Locator("tr.deployment-device", new() { Has = page.Locator(".device-name", new() { HasText = "packer-01" }) });
        await Expect(row.Locator(".device-state")).ToHaveTextAsync("Running", new() { Timeout = 60_000 });
        await Expect(page.Locator("#deployment-state")).ToContainTextAsync("Completed", new() { Timeout = 15_000 });
        await PortalPages.ScreenshotAsync(page, shots, "43-deployment-running");

        await page.Locator("#nav-deployments").ClickAsync();
        await Expect(page.Locator(".deployment-name", new() { HasText = "Busybox web server" })).ToBeVisibleAsync();
        await PortalPages.ScreenshotAsync(page, shots, "44-deployments");

        await page.GotoAsync($"/devices/{deviceId}");
        await PortalPages.WaitForCircuitAsync(page);
        var workload = page.Locator("tr.workload-row", new() { Has = page.Locator(".workload-name", new() { HasText = "web-e2e" }) });
        await Expect(workload.Locator(".workload-state")).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
        await page.Locator("button[aria-label='Logs of web-e2e']").ClickAsync();
        await Expect(page.Locator("#log-view")).ToBeVisibleAsync();
        // Each request makes httpd write a line; it reaches the page while the view is open.
        using var http = new HttpClient();
        var lines = page.Locator("#log-view .log-line", new() { HasText = "response:200" });
        for (var i = 0; i < 20 && await lines.CountAsync() == 0; i++)
        {
            Assert.Contains("hello-from-edge", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct), StringComparison.Ordinal);
            await Task.Delay(500, ct);
        }

        await Expect(lines.First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await PortalPages.ScreenshotAsync(page, shots, "45-device-workloads-logs");
    }

    public async ValueTask DisposeAsync()
    {
        if (deviceId is not null)
        {
            await DockerEngine.RemoveContainersOfAsync(deviceId);
        }

        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// A stack end to end in the browser: an admin uploads a two-service compose zip and certifies it; an operator sets a
/// group config value and a secret, deploys the stack to the group and sees both services Running on the device page.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class StackFlowTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string OperatorEmail = "stacker@portal.local";
    private const string OperatorPassword = "Stacker-Passw0rd!";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-e2e-stack", Guid.NewGuid().ToString("N"));
    private string? deviceId;

    /// <summary>The httpd waits for a healthy dependency; both share the host's network (the test engine has no bridge).</summary>
    private const string Compose = """
        services:
          web:
            image: local/busybox:1
            command: ["sh", "-c", "mkdir -p /www && echo stack-says-$MODE > /www/index.html && exec httpd -f -v -p 127.0.0.1:${PORT} -h /www"]
            network_mode: host
            env_file: web.env
            depends_on:
              ready:
                condition: service_healthy
          ready:
            image: local/busybox:1
            command: ["sh", "-c", "sleep 1 && touch /tmp/ready && exec sleep 3600"]
            network_mode: host
            healthcheck:
              test: ["CMD", "test", "-f", "/tmp/ready"]
              interval: 1s
              timeout: 1s
              retries: 30
        """;

    [Fact]
    public async Task Admin_UploadsAndCertifiesAStack_OperatorConfiguresAndDeploysIt_BothServicesRun()
    {
        DockerEngine.RequireEndpoint();
        var shots = browser.ScreenshotDirectory;
        var port = AgentProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await ApiClient.CreateUserAsync(admin, OperatorEmail, OperatorPassword, PortalRoles.Operator, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "e2e stack", ct, labels: new Dictionary<string, string> { ["line"] = "e2e-stack" });
        using (var group = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Bottling line", "Where the stack runs", new Dictionary<string, string> { ["line"] = "e2e-stack" }, []), ct))
        {
            group.EnsureSuccessStatusCode();
        }

        await using var agent = AgentProcess.Start(
            new Dictionary<string, string> { ["Agent__DockerEndpoint"] = DockerEngine.RequireEndpoint(), ["Agent__ReconcileIntervalSeconds"] = "2" },
            "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "bottler-01");
        deviceId = await agent.WaitUntilOnlineAsync(admin, "bottler-01", ct);
        var zip = Path.Combine(agentData, "stack.zip");
        File.WriteAllBytes(zip, Zip(("compose.yaml", Compose), ("web.env", "MODE=edge\n")));

        // The admin adds the app as a stack and sees its services before saving.
        var page = await browser.NewPageAsync();
        await PortalPages.SignInAsync(page, PortalFactory.AdminEmail, PortalFactory.AdminPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.GotoAsync("/marketplace");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#add-app").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Field(dialog, "app-json").FillAsync(AppJson(port));
        await dialog.GetByText("a stack (compose file)").ClickAsync();
        await dialog.Locator("#stack-file").SetInputFilesAsync(zip);
        await Expect(dialog.Locator("#stack-services tr.stack-service")).ToHaveCountAsync(2);
        await Expect(dialog.Locator("#stack-summary")).ToContainTextAsync("config files web.env");
        await PortalPages.ScreenshotAsync(page, shots, "70-stack-upload");
        await dialog.Locator("#save-app").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        // ... and certifies it, having seen what it asks of the devices.
        await page.GotoAsync("/marketplace/bottling-stack");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#certify").ClickAsync();
        await Expect(page.Locator("tr.certify-service")).ToHaveCountAsync(2);
        await Expect(page.Locator("tr.certify-service .service-network").First).ToHaveTextAsync("host");
        await PortalPages.ScreenshotAsync(page, shots, "71-stack-certify");
        await page.Locator("#certify-confirm").ClickAsync();
        await Expect(page.Locator("#withdraw")).ToBeVisibleAsync();
        await Expect(page.Locator(".version-stack")).ToContainTextAsync("stack of 2: web");
        await PortalPages.ScreenshotAsync(page, shots, "71b-stack-app-details");
        await PortalPages.SignOutAsync(page);

        // The operator sets a value and a secret for the group.
        await PortalPages.SignInAsync(page, OperatorEmail, OperatorPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.GotoAsync("/configuration");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator(".mud-select:has(#config-level) .mud-input-control, .mud-select:has(#config-level)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Group Bottling line" }).ClickAsync();
        await PortalPages.CloseListAsync(page);
        await Field(page.Locator("body"), "config-values-text").FillAsync("SITE=bottling\n");
        await page.Locator("#save-config").ClickAsync();
        await Expect(page.Locator(".mud-snackbar").Last).Not.ToContainTextAsync("Not saved");
        await Field(page.Locator("body"), "secret-name").FillAsync("API_TOKEN");
        await Field(page.Locator("body"), "secret-value").FillAsync("s3cret-e2e");
        await page.Locator("#set-secret").ClickAsync();
        await Expect(page.Locator("#config-secrets")).ToContainTextAsync("API_TOKEN");
        await PortalPages.ScreenshotAsync(page, shots, "72-stack-group-config");

        // ... deploys the stack to the group ...
        await page.GotoAsync("/marketplace/bottling-stack");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#deploy").ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("#deploy-groups").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Bottling line" }).ClickAsync();
        await Expect(dialog.Locator("#deploy-groups input[role=combobox]")).ToHaveValueAsync("Bottling line");
        await PortalPages.CloseListAsync(page);
        await dialog.Locator("#deploy-submit").ClickAsync();
        var row = page.Locator("tr.deployment-device", new() { Has = page.Locator(".device-name", new() { HasText = "bottler-01" }) });
        await Expect(row.Locator(".device-state")).ToHaveTextAsync("Running", new() { Timeout = 90_000 });
        await PortalPages.ScreenshotAsync(page, shots, "73-stack-deployment");

        // ... and sees the stack with both services Running on the device page, and a service's logs.
        await page.GotoAsync($"/devices/{deviceId}");
        await PortalPages.WaitForCircuitAsync(page);
        await Expect(page.Locator("tr.stack-workload .workload-state")).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
        foreach (var service in new[] { "web", "ready" })
        {
            var serviceRow = page.Locator("tr.stack-service-row", new() { Has = page.Locator(".service-name", new() { HasText = service }) });
            await Expect(serviceRow.Locator(".service-state")).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
        }

        await Expect(page.Locator("tr.stack-service-row .service-health", new() { HasText = "health: healthy" })).ToHaveCountAsync(1);
        using var http = new HttpClient();
        Assert.Equal("stack-says-edge", (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct)).Trim());
        await page.Locator("button[aria-label='Logs of web in bottling-stack']").ClickAsync();
        await Expect(page.Locator("#log-title")).ToHaveTextAsync("Logs of web (stack bottling-stack)");
        await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), ct);
        await Expect(page.Locator("#log-view .log-line").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await PortalPages.ScreenshotAsync(page, shots, "74-stack-device-services");
    }

    /// <summary>A MudTextField's own input or textarea (the id lands on the element itself or on its wrapper, by version).</summary>
    private static ILocator Field(ILocator scope, string id) =>
        scope.Locator($"input#{id}, textarea#{id}, #{id} input, #{id} textarea").First;

    private static string AppJson(string port) => $$"""
        {
          "id": "bottling-stack",
          "name": "Bottling stack",
          "publisher": "Edge Portal tests",
          "category": "Testing",
          "description": "A web page served once its dependency is healthy.",
          "versions": [
            { "version": "1.0.0", "image": "", "parameters": [ { "name": "PORT", "type": "int", "default": "{{port}}" } ] }
          ]
        }
        """;

    private static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
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

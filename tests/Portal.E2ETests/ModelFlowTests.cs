using System.Globalization;
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

/// <summary>
/// An operator registers a model, uploads a real ONNX file in the browser, reads its signature, tries it, deploys it to
/// a real agent and sees the device serve it. Models need no container engine, so this test needs no Docker.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class ModelFlowTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string OperatorEmail = "modeller@portal.local";
    private const string OperatorPassword = "Modeller-Passw0rd!";
    private const string ModelName = "bearing-vibration";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-e2e-models", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Operator_RegistersUploadsTriesAndDeploysAModel_DeviceServesIt()
    {
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await ApiClient.CreateUserAsync(admin, OperatorEmail, OperatorPassword, PortalRoles.Operator, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "e2e models", ct);
        var inferencePort = AgentProcess.FreeLoopbackPort();
        await using var agent = AgentProcess.Start(
            new Dictionary<string, string>
            {
                ["Agent__Inference__Port"] = inferencePort.ToString(CultureInfo.InvariantCulture),
                ["Agent__Inference__IntraOpThreads"] = "1",
                ["Agent__ReconcileIntervalSeconds"] = "2",
                ["Agent__TelemetryIntervalSeconds"] = "1",
            },
            "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "vib-sensor-01");
        var deviceId = await agent.WaitUntilOnlineAsync(admin, "vib-sensor-01", ct);

        await PortalPages.SignInAsync(page, OperatorEmail, OperatorPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#nav-models").ClickAsync();
        await Expect(page.Locator("#models-title")).ToBeVisibleAsync();

        // Register: the name is checked as it is typed; the model page opens for the first upload.
        await page.Locator("#new-model").ClickAsync();
        var register = page.GetByRole(AriaRole.Dialog);
        await register.Locator("#model-name input, input#model-name").First.FillAsync(ModelName);
        await register.Locator("#model-description textarea, textarea#model-description").First.FillAsync("Scores accelerometer windows of the packing line's bearings.");
        await register.Locator("#model-tags input, input#model-tags").First.FillAsync("vibration, line-3");
        await register.Locator("#save-model").ClickAsync();
        await Expect(page.Locator("#model-title")).ToHaveTextAsync(ModelName);
        await Expect(page.Locator("#no-versions")).ToBeVisibleAsync();

        await page.Locator("#upload-panel input[type=file]").SetInputFilesAsync(SampleModels.Vibration);
        await Expect(page.Locator("#chosen-file")).ToContainTextAsync("vibration-anomaly.onnx");
        await page.Locator("#upload-notes textarea, textarea#upload-notes").First.FillAsync("Healthy statistics from the sample set.");
        await page.Locator("#upload-version").ClickAsync();
        await Expect(page.Locator("#version-title")).ToHaveTextAsync("Version 1", new() { Timeout = 30_000 });
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/models/{ModelName}/versions/1$"));
        var input = page.Locator("#inputs-table tr.tensor-row");
        await Expect(input.Locator(".tensor-name")).ToHaveTextAsync("window");
        await Expect(input.Locator(".tensor-datatype")).ToHaveTextAsync("FP32");
        await Expect(input.Locator(".tensor-shape")).ToHaveTextAsync("batch × 256");
        await Expect(page.Locator("#outputs-table .tensor-name")).ToHaveTextAsync(["score", "features"]);
        await ShotAsync(page, shots, "51-model-version");

        await page.Locator(".mud-tab", new() { HasText = "Try it" }).ClickAsync();
        await page.Locator("#try-run").ClickAsync();
        await Expect(page.Locator("#try-output")).ToContainTextAsync("\"score\"");
        await Expect(page.Locator("#try-time")).ToContainTextAsync(" ms");
        await Expect(page.Locator("#try-error")).ToHaveCountAsync(0);
        await ShotAsync(page, shots, "52-try-it");

        await page.Locator("#nav-models").ClickAsync();
        var row = page.Locator("tr.model-row", new() { Has = page.Locator(".model-name", new() { HasText = ModelName }) });
        await Expect(row.Locator(".model-latest")).ToContainTextAsync("v1");
        await Expect(row.Locator(".model-stage")).ToHaveTextAsync("Draft");
        await ShotAsync(page, shots, "50-models");

        await row.Locator(".model-name").ClickAsync();
        await Expect(page.Locator("#version-title")).ToHaveTextAsync("Version 1");
        await page.Locator(".mud-tab", new() { HasText = "Where it runs" }).ClickAsync();
        await Expect(page.Locator("#model-deployments")).ToContainTextAsync("Not deployed anywhere yet.");
        await page.Locator("#deploy-model").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("#deploy-devices").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "vib-sensor-01" }).ClickAsync();
        await Expect(dialog.Locator("#deploy-devices input[role=combobox]")).ToHaveValueAsync("vib-sensor-01");
        await PortalPages.CloseListAsync(page);
        await ShotAsync(page, shots, "53-deploy-model");
        await dialog.Locator("#deploy-submit").ClickAsync();

        // The agent downloads, verifies and loads the model; the deployment page follows on its own.
        await Expect(page.Locator("#deployment-title")).ToHaveTextAsync($"{ModelName} v1");
        var target = page.Locator("tr.deployment-device", new() { Has = page.Locator(".device-name", new() { HasText = "vib-sensor-01" }) });
        await Expect(target.Locator(".device-state")).ToHaveTextAsync("Running", new() { Timeout = 60_000 });
        await Expect(page.Locator("#deployment-state")).ToContainTextAsync("Completed");
        await Expect(page.Locator("#deployment-model")).ToContainTextAsync(ModelName);

        await page.GotoAsync($"/devices/{deviceId}");
        await PortalPages.WaitForCircuitAsync(page);
        var workload = page.Locator("tr.model-workload", new() { Has = page.Locator(".workload-name", new() { HasText = ModelName }) });
        await Expect(workload.Locator(".workload-state")).ToHaveTextAsync("Ready", new() { Timeout = 30_000 });
        await Expect(workload.Locator(".workload-image")).ToHaveTextAsync("v1");
        await Expect(page.Locator("button[aria-label='Logs of " + ModelName + "']")).ToHaveCountAsync(0);

        // A request to the device's own endpoint shows up in the device's inference table with the next telemetry.
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inferencePort}") })
        using (var infer = await http.PostAsJsonAsync($"/v2/models/{ModelName}/infer",
            new { inputs = new[] { new { name = "window", shape = new[] { 1, 256 }, datatype = "FP32", data = SampleModels.SineWindow() } } }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, infer.StatusCode);
        }

        var metrics = page.Locator("#device-inference tr.metrics-row", new() { Has = page.Locator(".metrics-model", new() { HasText = ModelName }) });
        await Expect(metrics.Locator(".metrics-requests")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await ShotAsync(page, shots, "54-model-ready");

        // Back on the model: where it runs, with the device's metrics, and a benchmark on the device.
        await page.GotoAsync($"/models/{ModelName}/versions/1");
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator(".mud-tab", new() { HasText = "Where it runs" }).ClickAsync();
        await Expect(page.Locator("tr.model-deployment .model-deployment-ready")).ToHaveTextAsync("1 / 1");
        await Expect(page.Locator("#model-metrics tr.metrics-row .metrics-device")).ToHaveTextAsync("vib-sensor-01");
        await ShotAsync(page, shots, "55-model-where-it-runs");
        await page.Locator(".mud-tab", new() { HasText = "Profile on devices" }).ClickAsync();
        await page.Locator("#profile-devices").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "vib-sensor-01" }).ClickAsync();
        await Expect(page.Locator("#profile-devices input[role=combobox]")).ToHaveValueAsync("vib-sensor-01");
        await PortalPages.CloseListAsync(page);
        await page.Locator("#profile-runs input, input#profile-runs").First.FillAsync("50");
        await page.Locator("#profile-start").ClickAsync();
        var profile = page.Locator("#profile-table tr.profile-row").First;
        await Expect(profile.Locator(".profile-state")).ToHaveTextAsync("Done", new() { Timeout = 30_000 });
        await Expect(profile.Locator(".profile-provider")).ToContainTextAsync("cpu · 50 runs");
        await ShotAsync(page, shots, "56-model-profile");

        // Drift: a baseline of 100 healthy windows captured on the device, then faulty ones (a 2 g impact every 32 samples).
        await page.Locator(".mud-tab", new() { HasText = "Drift" }).ClickAsync();
        await Expect(page.Locator("#drift-no-baseline")).ToBeVisibleAsync();
        await page.Locator("#drift-capture-requests input").FillAsync("100");
        await page.Locator("#drift-capture").ClickAsync();
        await Expect(page.Locator("#drift-baseline-state")).ToContainTextAsync("Capturing on vib-sensor-01");
        using var endpoint = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inferencePort}") };
        var random = new Random(56);
        await SendWindowsAsync(endpoint, random, 110, faulty: false);
        await Expect(page.Locator("#drift-baseline-state")).ToContainTextAsync("Baseline ready", new() { Timeout = 30_000 });
        await SendWindowsAsync(endpoint, random, 120, faulty: true);
        var drift = page.Locator("tr.drift-device", new() { HasText = "vib-sensor-01" });
        // The first window may still hold the last healthy requests; the page updates live as the next ones are measured.
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (!(await drift.Locator(".drift-psi").CountAsync() > 0 && double.Parse(await drift.Locator(".drift-psi").InnerTextAsync(), CultureInfo.InvariantCulture) > 0.25))
        {
            Assert.True(DateTime.UtcNow < deadline, "faulty windows should drift past 0.25 on the page");
            await SendWindowsAsync(endpoint, random, 20, faulty: true);
        }
        await ShotAsync(page, shots, "104-model-drift");
    }

    private async Task SendWindowsAsync(HttpClient endpoint, Random random, int count, bool faulty)
    {
        for (var i = 0; i < count; i++)
        {
            var window = SampleModels.SineWindow(0.45 + (0.1 * random.NextDouble())).Select((v, n) => v + (float)(0.05 * (random.NextDouble() - 0.5)) + (faulty && n % 32 == 0 ? 2f : 0f)).ToArray();
            using var response = await endpoint.PostAsJsonAsync($"/v2/models/{ModelName}/infer",
                new { inputs = new[] { new { name = "window", shape = new[] { 1, 256 }, datatype = "FP32", data = window } } }, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>From the top: a full-page shot of a scrolled page draws the fixed app bar in the middle.</summary>
    private static async Task ShotAsync(IPage page, string folder, string name)
    {
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, folder, name);
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

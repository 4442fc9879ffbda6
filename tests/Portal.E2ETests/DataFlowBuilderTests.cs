using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Portal.Shared.Config;
using Portal.Shared.Deployments;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2ETests;

/// <summary>
/// An operator builds the solar forecast flow in the browser (from the template, pointed at the plant's real Modbus
/// server and broker, with one more output added by hand), deploys it to a real agent and sees the forecast arrive live
/// on the device page and the Data page, with the flow's steps in the device's workloads.
/// </summary>
[Collection(nameof(SharedBrowser))]
public sealed class DataFlowBuilderTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string OperatorEmail = "plant-engineer@portal.local";
    private const string OperatorPassword = "Plant-Engineer-Passw0rd!";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-e2e-flows", Guid.NewGuid().ToString("N"));
    private ModbusServer? modbus;
    private MosquittoBroker? broker;

    public async ValueTask InitializeAsync()
    {
        if ((ModbusServer.Missing() ?? MosquittoBroker.Missing()) is { } missing)
        {
            Assert.Skip($"No Modbus server or MQTT broker to test against: {missing}.");
        }

        modbus = await ModbusServer.StartAsync(ct);
        broker = await MosquittoBroker.StartAsync(ct);
    }

    [Fact]
    public async Task Operator_BuildsTheSolarFlow_DeploysIt_AndSeesLiveValuesOnTheDevicePage()
    {
        var page = await browser.NewPageAsync();
        var shots = browser.ScreenshotDirectory;
        using var admin = await ApiClient.AdminAsync(browser.Portal, ct);
        await ApiClient.CreateUserAsync(admin, OperatorEmail, OperatorPassword, PortalRoles.Operator, ct);
        await RegisterSolarModelAsync(admin);
        using (var secret = await admin.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "MQTT_PASSWORD"), new SaveSecretRequest(MosquittoBroker.Password), ct))
        {
            Assert.True(secret.IsSuccessStatusCode, await secret.Content.ReadAsStringAsync(ct));
        }

        // The weather station's registers: sun 60° up, clear sky, 25 °C, 30 % humidity.
        await ModbusWriteAsync(10, [600, 0, 250, 30]);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "e2e flows", ct);
        await using var agent = AgentProcess.Start(
            new Dictionary<string, string>
            {
                ["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
                ["Agent__Inference__IntraOpThreads"] = "1",
                ["Agent__ReconcileIntervalSeconds"] = "2",
                ["Agent__TelemetryIntervalSeconds"] = "1",
            },
            "--portal", browser.BaseAddress.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "pv-inverter-01");
        var deviceId = await agent.WaitUntilOnlineAsync(admin, "pv-inverter-01", ct);
        await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "solar-irradiance", ModelVersion: 1, DeviceIds: [deviceId]), ct);

        await PortalPages.SignInAsync(page, OperatorEmail, OperatorPassword);
        await PortalPages.WaitForCircuitAsync(page);
        await page.Locator("#nav-dataflows").ClickAsync();
        await Expect(page.Locator("#no-flows")).ToBeVisibleAsync();
        await page.Locator("#new-solar-flow").ClickAsync();
        await Expect(page.Locator("#editor-title")).ToHaveTextAsync("New data flow");

        // The template's station address comes from config; this plant's station and broker are given here.
        await FillAsync(page, "#connection-0-host", "127.0.0.1");
        await FillAsync(page, "#connection-0-port", modbus!.Port.ToString(CultureInfo.InvariantCulture));
        await FillAsync(page, "#connection-1-port", broker!.Port.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("#flow-model-signature")).ToContainTextAsync("features FP32");
        // One more output, by hand: the air temperature to the portal.
        await page.Locator("#add-sink").ClickAsync();
        await FillAsync(page, "#sink-3-values", "air_temperature");
        await ShotAsync(page, shots, "60-flow-builder");

        // A mistake first: a value nobody declares is refused, saying which step and why.
        await FillAsync(page, "#model-input-0-values", "sun_elevation, cloud_clamped, air_temperature, humidty");
        await page.Locator("#flow-save").ClickAsync();
        await Expect(page.Locator("#flow-problems")).ToContainTextAsync("humidty");
        await FillAsync(page, "#model-input-0-values", "sun_elevation, cloud_clamped, air_temperature, humidity");
        await page.Locator("#flow-save").ClickAsync();

        await Expect(page.Locator("#flow-title")).ToHaveTextAsync("solar-forecast", new() { Timeout = 15_000 });
        await Expect(page.Locator("#flow-steps")).ToContainTextAsync("air_temperature to the portal as device data");
        await Expect(page.Locator("#flow-steps")).ToContainTextAsync("password ${secret:MQTT_PASSWORD}");
        await ShotAsync(page, shots, "61-flow-details");

        await page.Locator("#flow-deploy").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.Locator("#deploy-flow-summary")).ToContainTextAsync("solar-forecast v1");
        await dialog.Locator("#deploy-devices").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "pv-inverter-01" }).ClickAsync();
        await PortalPages.CloseListAsync(page);
        await ShotAsync(page, shots, "62-deploy-flow");
        await dialog.Locator("#deploy-submit").ClickAsync();
        await Expect(page.Locator("#deployment-title")).ToHaveTextAsync("solar-forecast v1");
        var target = page.Locator("tr.deployment-device", new() { Has = page.Locator(".device-name", new() { HasText = "pv-inverter-01" }) });
        await Expect(target.Locator(".device-state")).ToHaveTextAsync("Running", new() { Timeout = 60_000 });

        // The device page: the forecast's last value moving live, its chart, and the flow's steps.
        await page.GotoAsync($"/devices/{deviceId}");
        await PortalPages.WaitForCircuitAsync(page);
        var forecast = page.Locator("#series-ghi_forecast");
        await Expect(forecast).ToContainTextAsync("W/m2", new() { Timeout = 30_000 });
        var first = await forecast.Locator(".series-last").InnerTextAsync();
        await Expect(page.Locator("#series-air_temperature")).ToContainTextAsync("25");
        var flow = page.Locator("tr.flow-workload", new() { Has = page.Locator(".workload-name", new() { HasText = "solar-forecast" }) });
        await Expect(flow.Locator(".workload-state")).ToHaveTextAsync("Running");
        await Expect(page.Locator("tr.flow-step-row", new() { HasText = "model solar-irradiance" }).Locator(".step-state")).ToHaveTextAsync("OK", new() { Timeout = 30_000 });
        // The sun sets on the station: the forecast drops, live, without reloading.
        await ModbusWriteAsync(10, [50, 0, 250, 30]);
        await Expect(forecast.Locator(".series-last")).Not.ToHaveTextAsync(first, new() { Timeout = 30_000 });
        await forecast.ClickAsync();
        await Expect(page.Locator("#data-chart-ghi_forecast .chart-axes")).ToContainTextAsync("W/m2");
        await page.Locator("#data-section").ScrollIntoViewIfNeededAsync();
        await PortalPages.ScreenshotAsync(page, shots, "63-device-flow-data");

        await page.Locator("#nav-data").ClickAsync();
        await Expect(page.Locator("#data-series tr.data-row", new() { HasText = "ghi_forecast" })).ToContainTextAsync("pv-inverter-01");
        await ShotAsync(page, shots, "64-data-page");
    }

    private async Task RegisterSolarModelAsync(HttpClient admin)
    {
        using (var created = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("solar-irradiance"), ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(SampleModels.Solar, ct)), "file", "solar-irradiance.onnx" } };
        using var upload = await admin.PostAsync(ApiRoutes.ModelVersions("solar-irradiance"), form, ct);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(ct));
    }

    private static async Task FillAsync(IPage page, string id, string value) =>
        await page.Locator($"{id} input, input{id}").First.FillAsync(value);

    private Task ModbusWriteAsync(int address, ushort[] values) => modbus!.WriteRegistersAsync(address, values, ct);

    private static async Task ShotAsync(IPage page, string folder, string name)
    {
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await PortalPages.ScreenshotAsync(page, folder, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (modbus is not null)
        {
            await modbus.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }

        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }
}

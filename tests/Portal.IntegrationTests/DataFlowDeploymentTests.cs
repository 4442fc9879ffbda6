using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Shared.Config;
using Portal.Shared.DataFlows;
using Portal.Shared.Deployments;
using Portal.Shared.DeviceData;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// The shipped solar example end to end: the flow is created and deployed through the portal to a real agent, which
/// reads a real Modbus server (pymodbus), runs the registered solar-irradiance model, publishes the forecast to a real
/// MQTT broker (mosquitto, the password from a fleet secret), writes the derate setpoint back, and sends the forecast to
/// the portal as device data. The portal then stops for 20 s: every value produced meanwhile arrives once.
/// </summary>
public sealed class DataFlowDeploymentTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string portalData = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N"));
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-flow-tests", Guid.NewGuid().ToString("N"));
    private readonly int port = AgentProcess.FreeLoopbackPort();
    private ModbusServer? modbus;
    private MosquittoBroker? broker;
    private AgentProcess? agent;

    public async ValueTask InitializeAsync()
    {
        if ((ModbusServer.Missing() ?? MosquittoBroker.Missing()) is { } missing)
        {
            Assert.Skip($"No Modbus server or MQTT broker to test against: {missing}.");
        }

        modbus = await ModbusServer.StartAsync(ct);
        broker = await MosquittoBroker.StartAsync(ct);
        // Sun 60° up, clear sky, 25 °C, 30 % humidity: a forecast near 870 W/m², above the 600 W/m² derate threshold.
        await WriteRegistersAsync(SolarFlow.Elevation, [600, 0, 250, 30]);
    }

    [Fact]
    public async Task SolarFlow_DeployedThroughThePortal_RunsOnTheAgent_AndSurvivesAPortalOutage()
    {
        var spec = SolarFlow.Build(modbus!.Port, broker!.Port, pollMs: 250, password: "${secret:MQTT_PASSWORD}");
        string deviceId;
        DateTimeOffset outageStart, outageEnd;
        await using (var first = StartPortal())
        {
            using var admin = await ApiClient.AdminAsync(first, ct);
            await RefusedAsync(admin, spec with { Connections = [spec.Connections[0], Plain(spec.Connections[1])] }, "${secret:NAME}");
            await RefusedAsync(admin, spec with { Model = spec.Model! with { Model = "no-such-model" } }, "no registered model 'no-such-model'");
            using (var secret = await admin.PutAsJsonAsync(ApiRoutes.Secret(ApiRoutes.FleetSecrets, "MQTT_PASSWORD"), new SaveSecretRequest(MosquittoBroker.Password), ct))
            {
                Assert.True(secret.IsSuccessStatusCode, await secret.Content.ReadAsStringAsync(ct));
            }

            using var created = await admin.PostAsJsonAsync(ApiRoutes.DataFlows, new CreateDataFlowRequest(spec, "Forecast and derate at the PV plant"), ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var flow = (await created.Content.ReadFromJsonAsync<DataFlowDto>(ct))!;
            Assert.Equal((1, 1), (flow.LatestVersion, flow.Versions[0].ModelVersion ?? 0));

            var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "pv-plant-1", ct);
            agent = AgentProcess.Start(AgentEnvironment, "--portal", $"http://127.0.0.1:{port}", "--enroll", token, "--data-dir", agentData, "--name", "pv-plant-1");
            deviceId = (await WaitForAsync(async () => (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!
                .FirstOrDefault(d => d.Name == "pv-plant-1" && d.Status == DeviceStatus.Online), "the agent to come online")).Id;

            var model = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, ModelId: "solar-irradiance", ModelVersion: 1, DeviceIds: [deviceId]), ct);
            var deployed = await DeploymentApi.DeployAsync(admin, new CreateDeploymentRequest(null, null, DataFlowId: "solar-forecast", DataFlowVersion: 1, DeviceIds: [deviceId]), ct);
            Assert.Equal(DeploymentKind.DataFlow, deployed.Kind);
            await DeploymentApi.WaitForAsync(admin, deployed.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => agent!.Output);
            await DeploymentApi.WaitForAsync(admin, model.Id, d => DeploymentApi.All(d, DeviceRolloutState.Running), ct, 90, () => agent!.Output);

            // Out on MQTT, as any subscriber sees it.
            using var forecast = JsonDocument.Parse(await SubscribeOnceAsync("plant/forecast/ghi_forecast"));
            Assert.Equal("W/m2", forecast.RootElement.GetProperty("unit").GetString());
            Assert.InRange(forecast.RootElement.GetProperty("value").GetDouble(), 700, 1000);
            // Written back: 80 % while the forecast is above 600 W/m².
            await WaitForAsync(async () => await ReadRegisterAsync(SolarFlow.Setpoint) == 80 ? "ok" : null, "the derate setpoint to be written");
            // In the portal: the device's series with their units, and the flow's steps on the device.
            var series = await WaitForAsync(async () => (await admin.GetFromJsonAsync<List<DeviceDataSeriesInfo>>(ApiRoutes.DeviceDataSeries(deviceId), ct))!
                .FirstOrDefault(s => s.Series == "ghi_forecast"), "forecasts in the portal");
            Assert.Equal(("W/m2", "solar-forecast"), (series.Unit, series.Flow));
            var running = await WaitForAsync(async () => (await admin.GetFromJsonAsync<DeviceWorkloads>(ApiRoutes.DeviceWorkloads(deviceId), ct))!
                .Workloads.FirstOrDefault(w => w.Kind == WorkloadKind.DataFlow
                    && w.Flow?.Steps.Any(s => s.Step.StartsWith("model", StringComparison.Ordinal) && s.Count > 0) == true), "the flow's status to count model runs");
            Assert.Equal(WorkloadState.Running, running.State);
            // A step may have failed while the model was still loading; none is failing now.
            Assert.All(running.Flow!.Steps, s => Assert.True(s.LastErrorAt is null || s.LastAt > s.LastErrorAt, $"{s.Step}: {s.LastError}"));
            outageStart = DateTimeOffset.UtcNow;
        }

        // The portal is away for 20 s; the flow keeps running and the agent keeps every value.
        await Task.Delay(TimeSpan.FromSeconds(20), ct);
        await WriteRegistersAsync(SolarFlow.Elevation, [50, 0, 250, 30]);
        await WaitForAsync(async () => await ReadRegisterAsync(SolarFlow.Setpoint) == 100 ? "ok" : null, "the setpoint to follow the sun offline");
        outageEnd = DateTimeOffset.UtcNow;

        await using (var second = StartPortal())
        {
            var points = await WaitForAsync(async () =>
            {
                await using var db = await second.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
                var stored = await db.DeviceData.AsNoTracking().Where(p => p.DeviceId == deviceId).OrderBy(p => p.Sequence).ToListAsync(ct);
                return stored.Count > 0 && stored[^1].At > outageEnd.AddSeconds(1) ? stored : null;
            }, "the values of the outage to arrive");

            // Exactly once: sequences 1..n, none twice, none missing; and no hole in time across the outage.
            Assert.Equal(Enumerable.Range(1, points.Count).Select(i => (long)i), points.Select(p => p.Sequence));
            var forecasts = points.Where(p => p.Series == "ghi_forecast").ToList();
            var gaps = forecasts.Zip(forecasts.Skip(1), (a, b) => b.At - a.At).ToList();
            Assert.True(gaps.Max() < TimeSpan.FromSeconds(3), $"The largest gap between forecasts is {gaps.Max()}");
            Assert.Contains(forecasts, p => p.At > outageStart.AddSeconds(5) && p.At < outageEnd);
            Assert.Contains(forecasts, p => p.At > outageStart && p.Value < 300);
        }
    }

    private static FlowConnection Plain(FlowConnection mqtt) => mqtt with { Mqtt = mqtt.Mqtt! with { Password = MosquittoBroker.Password } };

    private async Task RefusedAsync(HttpClient admin, DataFlowSpec spec, string expected)
    {
        using var refused = await admin.PostAsJsonAsync(ApiRoutes.DataFlows, new CreateDataFlowRequest(spec), ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(expected, (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> AgentEnvironment => new()
    {
        ["Agent__ReconcileIntervalSeconds"] = "2",
        ["Agent__TelemetryIntervalSeconds"] = "1",
        ["Agent__Inference__Port"] = AgentProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Agent__Inference__IntraOpThreads"] = "1",
    };

    private PortalFactory StartPortal()
    {
        var factory = new PortalFactory();
        factory.Settings["Portal:DataDirectory"] = portalData;
        factory.Settings["Portal:Models:SeedSamples"] = "true";
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return factory;
    }

    /// <summary>One message on the topic, read with Debian's mosquitto_sub as any plant system would.</summary>
    private async Task<string> SubscribeOnceAsync(string topic)
    {
        using var sub = Process.Start(new ProcessStartInfo("mosquitto_sub",
            ["-h", "127.0.0.1", "-p", broker!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", MosquittoBroker.User, "-P", MosquittoBroker.Password,
             "-t", topic, "-C", "1", "-W", "30"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await sub.StandardOutput.ReadToEndAsync(ct);
        await sub.WaitForExitAsync(ct);
        Assert.True(sub.ExitCode == 0, $"mosquitto_sub: {await sub.StandardError.ReadToEndAsync(ct)}\nThe agent printed:\n{agent?.Output}");
        return output.Trim();
    }

    private Task WriteRegistersAsync(int address, ushort[] values) => modbus!.WriteRegistersAsync(address, values, ct);

    private Task<int> ReadRegisterAsync(int address) => modbus!.ReadRegisterAsync(address, ct);

    private async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"Timed out waiting for {what}. The agent printed:\n{agent?.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        if (modbus is not null)
        {
            await modbus.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }

        foreach (var folder in new[] { agentData, portalData })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

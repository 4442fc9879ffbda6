using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Connectors.Modbus;
using Portal.Agent.Connectors.Mqtt;
using Portal.Agent.DataFlows;
using Portal.Agent.Inference;
using Portal.Agent.Tests.Inference;
using Portal.Shared.Connectors;
using Portal.Testing;

namespace Portal.Agent.Tests.DataFlows;

/// <summary>
/// The solar flow run by the agent's flow runner against real peers: Debian's pymodbus server (the weather station's
/// registers and the derate setpoint), Debian's mosquitto (the forecast published) and the shipped solar-irradiance
/// model served in-process as the device serves it. Register values in, forecasts out, the setpoint written back; a
/// Modbus server that goes away makes the reads Bad with the reason and the model wait, and the flow recovers by itself.
/// </summary>
public sealed class FlowRunnerTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ConcurrentQueue<(string Topic, JsonElement Body)> published = new();
    private readonly RecordingDataSink portalData = new();
    private ModbusServer? modbus;
    private MosquittoBroker? broker;
    private MqttConnector? subscriber;
    private ModbusTcpClient? station;
    private ModelHost? models;
    private FlowRunner? runner;

    public async ValueTask InitializeAsync()
    {
        if ((ModbusServer.Missing() ?? MosquittoBroker.Missing()) is { } missing)
        {
            Assert.Skip($"No Modbus server or MQTT broker to test against: {missing}.");
        }

        modbus = await ModbusServer.StartAsync(ct);
        broker = await MosquittoBroker.StartAsync(ct);
        station = new ModbusTcpClient(new ModbusClientOptions("127.0.0.1", modbus.Port) { ReconnectMin = TimeSpan.FromMilliseconds(100), ReconnectMax = TimeSpan.FromMilliseconds(300) }, TimeProvider.System);
        subscriber = new MqttConnector(new MqttConnection("127.0.0.1", broker.Port, Username: MosquittoBroker.User, Password: MosquittoBroker.Password),
            TimeProvider.System, NullLogger.Instance, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
        await subscriber.SubscribeAsync("plant/forecast/#", 1, m =>
        {
            published.Enqueue((m.Topic, JsonDocument.Parse(m.Payload).RootElement.Clone()));
            return Task.CompletedTask;
        }, ct);
        Assert.True(await subscriber.StartAsync(TimeSpan.FromSeconds(10), ct), subscriber.LastError);
        models = new ModelHost();
        models.Put(InferenceHost.Load("solar-irradiance", SampleModels.Solar));
    }

    [Fact]
    public async Task RegistersIn_ForecastOnMqttAndToThePortal_DerateSetpointWrittenBackWhenTheForecastCrossesTheThreshold()
    {
        // A clear summer noon: sun 60° up, no cloud, 25 °C, 30 % humidity.
        await WeatherAsync(elevationDeg: 60, cloud: 0, tempC: 25, humidity: 0.3);
        runner = await StartFlowAsync();

        var noon = await NextForecastAsync(v => v > 600);
        Assert.Equal(Expected(60, 0, 25, 0.3), noon, 45.0);
        Assert.Equal("W/m2", published.First(p => p.Topic == "plant/forecast/ghi_forecast").Body.GetProperty("unit").GetString());
        await UntilAsync(async () => await SetpointAsync() == 80, "the derate setpoint 80 % (forecast above 600 W/m²)");
        await UntilAsync(() => Task.FromResult(portalData.Values.Any(v => v.Series == "sun_elevation" && Math.Abs(v.Value - 60) < 1e-9 && v.Unit == "deg")
            && portalData.Values.Any(v => v.Series == "ghi_forecast" && v.Unit == "W/m2" && v.Flow == "solar-forecast")), "device data for the portal");

        // Evening: the sun at 10°, the forecast falls below the threshold and the setpoint goes back to 100 %.
        await WeatherAsync(elevationDeg: 10, cloud: 0, tempC: 25, humidity: 0.3);
        var evening = await NextForecastAsync(v => v < 600);
        Assert.Equal(Expected(10, 0, 25, 0.3), evening, 45.0);
        await UntilAsync(async () => await SetpointAsync() == 100, "the setpoint back at 100 %");

        var status = runner.Status();
        Assert.Equal("solar-forecast", status.Flow);
        Assert.All(status.Steps, s => Assert.True(s.Count > 0, $"{s.Step} handled nothing"));
        Assert.All(status.Steps, s => Assert.True(s.Errors == 0, $"{s.Step}: {s.LastError}"));
        Assert.Contains(status.Steps, s => s.Step == "model solar-irradiance" && s.LastValue < 600);
    }

    [Fact]
    public async Task ModbusServerGoes_ReadsAreBadWithTheReason_TheModelWaits_NothingIsPublished_ThenTheFlowRecovers()
    {
        await WeatherAsync(elevationDeg: 45, cloud: 0.2, tempC: 20, humidity: 0.5);
        runner = await StartFlowAsync();
        await NextForecastAsync(_ => true);

        await modbus!.StopAsync();
        await UntilAsync(() => Task.FromResult(runner.Status().Steps.Single(s => s.Step == "source humidity").LastError is { Length: > 0 }
            && runner.Status().Steps.Single(s => s.Step == "model solar-irradiance").LastError is { } why && why.Contains("is Bad", StringComparison.Ordinal)), "Bad reads and a waiting model");
        Assert.False(runner.Latest("humidity")!.Good);
        await Task.Delay(500, ct);
        var quiet = published.Count;
        await Task.Delay(1000, ct);
        Assert.Equal(quiet, published.Count);

        // The server comes back (with its power-on register map: sun at 0°, night) and so does the flow, by itself.
        await modbus.StartAgainAsync(ct);
        var night = await NextForecastAsync(v => v < 100);
        Assert.True(night >= 0, "irradiance is never negative");
        Assert.True(runner.Latest("humidity")!.Good);
    }

    public async ValueTask DisposeAsync()
    {
        if (runner is not null)
        {
            await runner.DisposeAsync();
        }

        if (subscriber is not null)
        {
            await subscriber.DisposeAsync();
        }

        if (station is not null)
        {
            await station.DisposeAsync();
        }

        models?.Dispose();
        if (modbus is not null)
        {
            await modbus.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    /// <summary>The formula the model was fitted to (wwwroot-assets/models/README.md): Haurwitz clear sky, Kasten–Czeplak clouds, humidity and temperature.</summary>
    private static double Expected(double elevationDeg, double cloud, double tempC, double humidity)
    {
        var s = Math.Sin(elevationDeg * Math.PI / 180);
        var clear = s > 0 ? 1098 * s * Math.Exp(-0.057 / s) : 0;
        return clear * (1 - (0.75 * Math.Pow(cloud, 3.4))) * (1 - (0.08 * humidity)) * (1 - (0.001 * (tempC - 25)));
    }

    private async Task<FlowRunner> StartFlowAsync()
    {
        var flow = SolarFlow.Build(modbus!.Port, broker!.Port, pollMs: 100, password: MosquittoBroker.Password);
        Assert.Empty(Portal.Shared.DataFlows.DataFlowValidator.Validate(flow, models!.Find("solar-irradiance")!.Signature));
        var started = new FlowRunner(flow, new HostedFlowModel(models), portalData, TimeProvider.System, NullLogger.Instance);
        await started.StartAsync(ct);
        return started;
    }

    private async Task WeatherAsync(double elevationDeg, double cloud, double tempC, double humidity)
    {
        await station!.WriteMultipleRegistersAsync(1, SolarFlow.Elevation,
            [(ushort)(short)Math.Round(elevationDeg * 10), (ushort)Math.Round(cloud * 100), (ushort)(short)Math.Round(tempC * 10), (ushort)Math.Round(humidity * 100)], ct);
    }

    private async Task<double> SetpointAsync() => await station!.ReadPointAsync(SolarFlow.SetpointPoint, ct);

    /// <summary>The first forecast published from now on that <paramref name="accept"/> takes.</summary>
    private async Task<double> NextForecastAsync(Func<double, bool> accept)
    {
        published.Clear();
        double? found = null;
        await UntilAsync(() =>
        {
            found = published.Where(p => p.Topic == "plant/forecast/ghi_forecast").Select(p => p.Body.GetProperty("value").GetDouble()).Cast<double?>().FirstOrDefault(v => accept(v!.Value));
            return Task.FromResult(found is not null);
        }, "a forecast on MQTT");
        return found!.Value;
    }

    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}. Flow status: {(runner is null ? "-" : JsonSerializer.Serialize(runner.Status()))}");
            await Task.Delay(100, ct);
        }
    }

    private sealed class RecordingDataSink : IFlowDataSink
    {
        public ConcurrentQueue<(string Flow, string Series, double Value, string? Unit, DateTimeOffset Time)> Values { get; } = new();

        public ValueTask AddAsync(string flow, string series, double value, string? unit, DateTimeOffset time, CancellationToken ct)
        {
            Values.Enqueue((flow, series, value, unit, time));
            return ValueTask.CompletedTask;
        }
    }
}

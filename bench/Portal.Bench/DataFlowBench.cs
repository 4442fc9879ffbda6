using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Connectors.Modbus;
using Portal.Agent.Connectors.Mqtt;
using Portal.Agent.DataFlows;
using Portal.Agent.Inference;
using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;
using Portal.Shared.Workloads;

namespace Portal.Bench;

/// <summary>
/// The data flow engine (<see cref="FlowRunner"/>: poll loops, the queue, the graph, the model step, the MQTT sink)
/// against a tight loop doing the same work by hand in the same process: read the four weather registers from a real
/// Modbus server (Debian's pymodbus), run the solar-irradiance model, publish the forecast to a real broker (mosquitto).
/// Rate: Modbus points read per second. Latency: from the moment the triggering register was read to the moment a
/// subscriber on the same broker receives the forecast (both paths measured by the same subscriber).
/// </summary>
internal static class DataFlowBench
{
    private static readonly ModbusPoint[] Points =
    [
        new("sun_elevation", ModbusTable.HoldingRegister, 10, ModbusDataType.Int16, Scale: 0.1, PollIntervalMs: 1),
        new("cloud_cover", ModbusTable.HoldingRegister, 11, ModbusDataType.UInt16, Scale: 0.01, PollIntervalMs: 1),
        new("air_temperature", ModbusTable.HoldingRegister, 12, ModbusDataType.Int16, Scale: 0.1, PollIntervalMs: 1),
        new("humidity", ModbusTable.HoldingRegister, 13, ModbusDataType.UInt16, Scale: 0.01, PollIntervalMs: 1),
    ];

    public static async Task RunAsync(int seconds, int rounds)
    {
        var root = Repository.Root();
        var modbusPort = FreePort();
        var mqttPort = FreePort();
        var folder = Directory.CreateTempSubdirectory("dataflow-bench").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "mosquitto.conf"), $"listener {mqttPort} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        using var modbusServer = Start("/usr/bin/python3", Path.Combine(root, "tests", "Shared", "modbus_server.py"), modbusPort.ToString(CultureInfo.InvariantCulture));
        using var broker = Start("/usr/sbin/mosquitto", "-c", Path.Combine(folder, "mosquitto.conf"));
        try
        {
            await WaitForPortAsync(modbusPort);
            await WaitForPortAsync(mqttPort);
            await using var station = new ModbusTcpClient(new ModbusClientOptions("127.0.0.1", modbusPort), TimeProvider.System);
            await station.WriteMultipleRegistersAsync(1, 10, [600, 0, 250, 30]);
            using var models = new ModelHost();
            models.Put(new ServedModel(new ModelWorkloadSpec("solar-irradiance", "bench", "bench", 1, new string('0', 64), 0, "", "cpu", "bench"),
                Path.Combine(Repository.ModelsFolder(), "solar-irradiance.onnx"), 1));
            var model = new HostedFlowModel(models);

            var received = new System.Collections.Concurrent.ConcurrentQueue<(string Topic, double Micros)>();
            await using var subscriber = new MqttConnector(new MqttConnection("127.0.0.1", mqttPort, ClientId: "bench-sub"), TimeProvider.System, NullLogger.Instance);
            await subscriber.SubscribeAsync("bench/#", 0, m =>
            {
                using var json = JsonDocument.Parse(m.Payload);
                var sent = json.RootElement.GetProperty("time").GetDateTimeOffset();
                received.Enqueue((m.Topic, (DateTimeOffset.UtcNow - sent).TotalMicroseconds));
                return Task.CompletedTask;
            });
            if (!await subscriber.StartAsync(TimeSpan.FromSeconds(10)))
            {
                throw new InvalidOperationException("The subscriber could not connect: " + subscriber.LastError);
            }

            Console.WriteLine($"Data flow: Modbus (pymodbus on 127.0.0.1) → solar-irradiance → MQTT (mosquitto on 127.0.0.1), {seconds} s per row, {rounds} rounds");
            Console.WriteLine("| round | path | points/s | forecasts/s | p50 ms | p99 ms | rate vs loop | p50 added ms |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
            for (var round = 1; round <= rounds; round++)
            {
                var loop = await TightLoopAsync(station, model, mqttPort, seconds, received);
                var light = await FlowAsync(model, modbusPort, mqttPort, seconds, received, extraSources: 0);
                var saturated = await FlowAsync(model, modbusPort, mqttPort, seconds, received, extraSources: 96);
                Row(round, "tight loop: 4 reads, model, publish (no engine)", loop, loop);
                Row(round, "FlowRunner, 4 sources every 1 ms (latency)", light, loop);
                Row(round, "FlowRunner, 4 + 96 sources every 5 ms (saturated: rate)", saturated, loop);
            }
        }
        finally
        {
            Stop(modbusServer);
            Stop(broker);
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Result(double PointsPerSecond, double ForecastsPerSecond, double[] LatencyMicros)
    {
        public double P(double p) => LatencyMicros.Length == 0 ? double.NaN : LatencyRecorder.Percentile([.. LatencyMicros.Order()], p / 100);
    }

    private static async Task<Result> TightLoopAsync(ModbusTcpClient station, HostedFlowModel model, int mqttPort, int seconds, System.Collections.Concurrent.ConcurrentQueue<(string, double)> received)
    {
        await using var publisher = new MqttConnector(new MqttConnection("127.0.0.1", mqttPort, ClientId: "bench-loop"), TimeProvider.System, NullLogger.Instance);
        await publisher.StartAsync(TimeSpan.FromSeconds(10));
        received.Clear();
        var watch = Stopwatch.StartNew();
        long points = 0, forecasts = 0;
        var values = new double[4];
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            for (var i = 0; i < Points.Length; i++)
            {
                values[i] = await station.ReadPointAsync(Points[i]);
            }

            points += Points.Length;
            var readAt = DateTimeOffset.UtcNow;
            values[1] = Math.Clamp(values[1], 0, 1);
            var outputs = await model.RunAsync("solar-irradiance", new Dictionary<string, double[]> { ["features"] = values }, CancellationToken.None);
            var payload = JsonSerializer.SerializeToUtf8Bytes(new { name = "ghi_forecast", value = outputs["irradiance"][0], unit = "W/m2", time = readAt });
            await publisher.PublishAsync("bench/loop/ghi_forecast", payload);
            forecasts++;
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        await Task.Delay(500);
        return new Result(points / elapsed, forecasts / elapsed, Latencies(received, "bench/loop/"));
    }

    /// <param name="extraSources">More points polled every 5 ms besides the model's four (the same registers under other
    /// names), to load the engine past what the Modbus connection can carry.</param>
    private static async Task<Result> FlowAsync(HostedFlowModel model, int modbusPort, int mqttPort, int seconds, System.Collections.Concurrent.ConcurrentQueue<(string, double)> received, int extraSources)
    {
        var load = Enumerable.Range(0, extraSources).Select(i => new FlowSource($"load_{i}", "station", Points[i % 4] with { Name = $"load_{i}", PollIntervalMs = 5 }));
        var spec = new DataFlowSpec(
            "bench",
            [
                new FlowConnection("station", ConnectorKind.Modbus, Modbus: new ModbusEndpoint("127.0.0.1", modbusPort)),
                new FlowConnection("broker", ConnectorKind.Mqtt, Mqtt: new MqttConnection("127.0.0.1", mqttPort, ClientId: "bench-flow")),
            ],
            [.. Points.Select(p => new FlowSource(p.Name, "station", p)), .. load],
            [new FlowTransform("cloud_clamped", FlowTransformKind.Clamp, "cloud_cover", Min: 0, Max: 1)],
            new FlowModelStep("solar-irradiance", [new FlowModelInput("features", ["sun_elevation", "cloud_clamped", "air_temperature", "humidity"])],
                [new FlowModelOutput("irradiance", "ghi_forecast", Unit: "W/m2")], Trigger: "humidity"),
            [new FlowSink(FlowSinkKind.MqttPublish, ["ghi_forecast"], "broker", "bench/flow/{name}")]);
        await using var runner = new FlowRunner(spec, model, null, TimeProvider.System, NullLogger.Instance);
        await runner.StartAsync(CancellationToken.None);
        await Task.Delay(1000);
        received.Clear();
        long Reads() => runner.Status().Steps.Where(s => s.Step.StartsWith("source", StringComparison.Ordinal)).Sum(s => s.Count);
        long Models() => runner.Status().Steps.Where(s => s.Step.StartsWith("model", StringComparison.Ordinal)).Sum(s => s.Count);
        var (reads, runs) = (Reads(), Models());
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var (readsAfter, runsAfter) = (Reads(), Models());
        var elapsed = watch.Elapsed.TotalSeconds;
        await Task.Delay(500);
        return new Result((readsAfter - reads) / elapsed, (runsAfter - runs) / elapsed, Latencies(received, "bench/flow/"));
    }

    private static double[] Latencies(System.Collections.Concurrent.ConcurrentQueue<(string Topic, double Micros)> received, string prefix) =>
        [.. received.Where(r => r.Topic.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r.Micros)];

    private static void Row(int round, string path, Result r, Result baseline) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {round} | {path} | {r.PointsPerSecond:F0} | {r.ForecastsPerSecond:F0} | {r.P(50) / 1000:F2} | {r.P(99) / 1000:F2} | {r.PointsPerSecond / baseline.PointsPerSecond:F2}× | {(r.P(50) - baseline.P(50)) / 1000:+0.00;-0.00} |"));

    private static Process Start(string program, params string[] args) =>
        Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })
        ?? throw new InvalidOperationException($"{program} did not start");

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Nothing listens on 127.0.0.1:{port}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

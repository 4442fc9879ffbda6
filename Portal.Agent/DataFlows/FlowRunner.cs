using System.Text.Json;
using System.Threading.Channels;
using Portal.Agent.Connectors.Modbus;
using Portal.Agent.Connectors.Mqtt;
using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;

namespace Portal.Agent.DataFlows;

/// <summary>
/// Runs one data flow on the device. Each Modbus point is polled by its own loop and each MQTT topic feeds in as it
/// arrives; every value goes through one queue to one loop that owns the <see cref="FlowGraph"/>, runs the model step
/// and the sinks in order, so a flow needs no locks and a slow sink slows only its own flow. A failed read is a Bad value
/// with the reason (the model step waits, the sinks skip it); a failed model run or write is that step's error; nothing
/// stops the flow but <see cref="DisposeAsync"/>. Connections come back by themselves (the connectors reconnect).
/// </summary>
public sealed partial class FlowRunner : IAsyncDisposable
{
    /// <summary>Values waiting for the flow's loop; when it cannot keep up the oldest go (and are counted), memory stays bounded.</summary>
    public const int QueueCapacity = 10_000;

    private readonly DataFlowSpec flow;
    private readonly IFlowModel? model;
    private readonly IFlowDataSink? data;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly FlowGraph graph;
    private readonly Channel<(string Name, FlowSample Sample)> queue;
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, ModbusTcpClient> modbus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MqttConnector> mqtt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FlowStepStats> stats = new(StringComparer.Ordinal);
    private readonly Dictionary<int, double> written = [];
    private readonly Dictionary<int, string> logged = [];
    private readonly List<Task> loops = [];
    private readonly DateTimeOffset since;
    private long dropped;

    public FlowRunner(DataFlowSpec flow, IFlowModel? model, IFlowDataSink? data, TimeProvider clock, ILogger logger)
    {
        this.flow = flow;
        this.model = model;
        this.data = data;
        this.clock = clock;
        this.logger = logger;
        graph = new FlowGraph(flow);
        since = clock.GetUtcNow();
        queue = Channel.CreateBounded<(string, FlowSample)>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        }, _ => Interlocked.Increment(ref dropped));
        foreach (var source in flow.Sources)
        {
            stats[SourceStep(source)] = new FlowStepStats(SourceStep(source));
        }

        if (flow.Model is { } step)
        {
            stats[ModelStep(step)] = new FlowStepStats(ModelStep(step));
        }

        foreach (var (sink, i) in (flow.Sinks ?? []).Select((s, i) => (s, i)))
        {
            stats[SinkStep(sink, i)] = new FlowStepStats(SinkStep(sink, i));
        }
    }

    public string Name => flow.Name;

    /// <summary>Values the flow's loop could not keep up with and dropped (oldest first).</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>The flow's latest values by name (for the device's status and tests).</summary>
    public FlowSample? Latest(string name)
    {
        lock (graph)
        {
            return graph.Latest(name);
        }
    }

    public DataFlowStatus Status() => new(flow.Name, since, [.. stats.Values.Select(s => s.Snapshot())]);

    /// <summary>Opens the connections and starts the loops; returns at once (connections that are down come up later).</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var connection in flow.Connections)
        {
            switch (connection.Kind)
            {
                case ConnectorKind.Modbus when connection.Modbus is { } m:
                    modbus[connection.Name] = new ModbusTcpClient(new ModbusClientOptions(m.Host, m.Port) { Timeout = TimeSpan.FromMilliseconds(m.TimeoutMs) }, clock);
                    break;
                case ConnectorKind.Mqtt when connection.Mqtt is { } q:
                    mqtt[connection.Name] = new MqttConnector(q, clock, logger);
                    break;
                default:
                    throw new NotSupportedException($"The connection '{connection.Name}' is {connection.Kind}, which the agent cannot open.");
            }
        }

        foreach (var source in flow.Sources)
        {
            if (source.Modbus is { } point && modbus.TryGetValue(source.Connection, out var client))
            {
                loops.Add(Task.Run(() => PollAsync(source, point, client, stop.Token), CancellationToken.None));
            }
            else if (source.Mqtt is { } topic && mqtt.TryGetValue(source.Connection, out var broker))
            {
                var step = stats[SourceStep(source)];
                await broker.SubscribeAsync(topic.Topic, topic.Qos, message =>
                {
                    var now = clock.GetUtcNow();
                    FlowSample sample;
                    try
                    {
                        sample = FlowSample.Of(MqttPayload.ReadNumber(message.Payload.Span, topic.JsonPath), now);
                        step.Ok(sample.Value, now);
                    }
                    catch (FormatException e)
                    {
                        sample = FlowSample.Bad($"{message.Topic}: {e.Message}", now);
                        step.Failed(sample.Error!, now);
                    }

                    queue.Writer.TryWrite((source.Name, sample));
                    return Task.CompletedTask;
                }, ct);
            }
        }

        foreach (var broker in mqtt.Values)
        {
            // Connects in the background; a broker that is down now is retried with a growing backoff.
            await broker.StartAsync(TimeSpan.FromSeconds(2), ct);
        }

        loops.Add(Task.Run(() => RunAsync(stop.Token), CancellationToken.None));
        LogStarted(logger, flow.Name, flow.Sources.Count, flow.Sinks?.Count ?? 0);
    }

    /// <summary>Puts a value into the flow as if a source had read it (for tests and for values the agent measures itself).</summary>
    public bool Post(string name, FlowSample sample) => queue.Writer.TryWrite((name, sample));

    private async Task PollAsync(FlowSource source, ModbusPoint point, ModbusTcpClient client, CancellationToken ct)
    {
        var step = stats[SourceStep(source)];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(point.PollIntervalMs), clock);
        do
        {
            FlowSample sample;
            try
            {
                var value = await client.ReadPointAsync(point, ct);
                var now = clock.GetUtcNow();
                sample = FlowSample.Of(value, now);
                step.Ok(value, now);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ModbusException or ModbusUnavailableException or TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                var now = clock.GetUtcNow();
                sample = FlowSample.Bad(e.Message, now);
                step.Failed(e.Message, now);
            }

            queue.Writer.TryWrite((source.Name, sample));
        }
        while (await Tick(timer, ct));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (name, sample) in queue.Reader.ReadAllAsync(ct))
            {
                FlowGraph.Effects effects;
                lock (graph)
                {
                    effects = graph.Accept(name, sample);
                }

                await ActAsync(effects, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task ActAsync(FlowGraph.Effects effects, CancellationToken ct)
    {
        foreach (var (sink, value, sample) in effects.Sends)
        {
            await SendAsync(sink, value, sample, ct);
        }

        if (effects.RunModel && flow.Model is { } step)
        {
            var outputs = await RunModelAsync(step, ct);
            FlowGraph.Effects next;
            lock (graph)
            {
                next = graph.Accept(outputs);
            }

            // Model outputs feed sinks and transforms, never the model again (the validator refuses such loops).
            await ActAsync(next with { RunModel = false }, ct);
        }
    }

    private async Task<IReadOnlyList<(string, FlowSample)>> RunModelAsync(FlowModelStep step, CancellationToken ct)
    {
        var stat = stats[ModelStep(step)];
        var now = clock.GetUtcNow();
        Dictionary<string, double[]>? inputs;
        string? why;
        bool waiting;
        lock (graph)
        {
            (inputs, why, waiting) = graph.ModelInputs();
        }

        if (waiting)
        {
            // Warming up: some source has not been read yet. Not an error, and nothing to send.
            return [];
        }

        try
        {
            if (inputs is null)
            {
                throw new FlowModelException($"Not run: {why}");
            }

            if (model is null)
            {
                throw new FlowModelException("This agent cannot run models (ONNX Runtime is not available).");
            }

            var outputs = await model.RunAsync(step.Model, inputs, ct);
            var results = new List<(string, FlowSample)>();
            foreach (var output in step.Outputs)
            {
                results.Add((output.Name, outputs.TryGetValue(output.Tensor, out var numbers) && output.Index < numbers.Length
                    ? FlowSample.Of(numbers[output.Index], now)
                    : FlowSample.Bad($"{step.Model} gave no element {output.Index} of '{output.Tensor}'", now)));
            }

            stat.Ok(results.Count > 0 ? results[0].Item2.Value : null, now);
            return results;
        }
        catch (FlowModelException e)
        {
            stat.Failed(e.Message, now);
            return [.. step.Outputs.Select(o => (o.Name, FlowSample.Bad(e.Message, now)))];
        }
    }

    private async Task SendAsync(int index, string value, FlowSample sample, CancellationToken ct)
    {
        var sink = flow.Sinks![index];
        var stat = stats[SinkStep(sink, index)];
        var now = clock.GetUtcNow();
        if (!sample.Good)
        {
            stat.Failed($"'{value}' not sent: {sample.Error}", now);
            return;
        }

        try
        {
            switch (sink.Kind)
            {
                case FlowSinkKind.MqttPublish:
                    var topic = sink.Topic!.Replace("{name}", value, StringComparison.Ordinal);
                    await mqtt[sink.Connection!].PublishAsync(topic, Payload(value, sample), sink.Qos, sink.Retain, ct);
                    break;
                case FlowSinkKind.ModbusWrite:
                    var target = sink.When?.Apply(sample.Value) ?? sample.Value;
                    if (sink.When is not null && written.TryGetValue(index, out var last) && last.Equals(target))
                    {
                        // A setpoint is written when it changes, not on every new forecast.
                        return;
                    }

                    await modbus[sink.Connection!].WritePointAsync(sink.Modbus!, target, ct);
                    written[index] = target;
                    break;
                case FlowSinkKind.Portal:
                    await data!.AddAsync(flow.Name, value, sample.Value, UnitOf(value), sample.Time, ct);
                    break;
            }

            stat.Ok(sample.Value, now);
            logged.Remove(index);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stat.Failed(e.Message, now);
            if (!logged.TryGetValue(index, out var before) || before != e.Message)
            {
                // Once per new error, not once per value: a broker down for an hour is one line, and its return another.
                logged[index] = e.Message;
                LogSinkFailed(logger, flow.Name, SinkStep(sink, index), e.Message);
            }
        }
    }

    private byte[] Payload(string name, FlowSample sample) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["name"] = name,
        ["value"] = sample.Values.Length == 1 ? sample.Values[0] : sample.Values,
        ["unit"] = UnitOf(name),
        ["time"] = sample.Time,
    });

    private string? UnitOf(string name) =>
        flow.Sources.FirstOrDefault(s => s.Name == name) is { } source ? source.Unit ?? source.Modbus?.Unit
        : (flow.Transforms ?? []).FirstOrDefault(t => t.Name == name) is { } t ? t.Unit ?? (t.Kind == FlowTransformKind.Scale ? null : UnitOf(t.Input))
        : flow.Model?.Outputs.FirstOrDefault(o => o.Name == name)?.Unit;

    private static string SourceStep(FlowSource s) => $"source {s.Name}";

    private static string ModelStep(FlowModelStep m) => $"model {m.Model}";

    private static string SinkStep(FlowSink s, int i) => $"sink {i + 1} ({s.Kind}{(s.Topic is { } t ? " " + t : s.Modbus is { } p ? $" {p.Table} {p.Address}" : "")})";

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        queue.Writer.TryComplete();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        foreach (var broker in mqtt.Values)
        {
            await broker.DisposeAsync();
        }

        foreach (var client in modbus.Values)
        {
            await client.DisposeAsync();
        }

        stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data flow {Flow} started: {Sources} sources, {Sinks} sinks")]
    private static partial void LogStarted(ILogger logger, string flow, int sources, int sinks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data flow {Flow}: {Step} failed: {Error}")]
    private static partial void LogSinkFailed(ILogger logger, string flow, string step, string error);
}

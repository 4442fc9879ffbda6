using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Connectors.Modbus;
using Portal.Agent.Connectors.Mqtt;
using Portal.Agent.DataFlows;
using Portal.Agent.Inference;
using Portal.Agent.Tests.Inference;
using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.Agent.Tests.DataFlows;

/// <summary>
/// The driver keeps the running flows equal to the desired state's data flow workloads, against real pymodbus and
/// mosquitto: a flow starts and reports Running with its step counts; a changed spec restarts it (the new threshold
/// takes effect); a flow the agent cannot run is Failed with the validator's reason; a flow no longer desired stops.
/// </summary>
public sealed class DataFlowDriverTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ConcurrentQueue<string> published = new();
    private ModbusServer? modbus;
    private MosquittoBroker? broker;
    private MqttConnector? subscriber;
    private ModbusTcpClient? station;
    private ModelHost? models;
    private DataFlowDriver? driver;

    public async ValueTask InitializeAsync()
    {
        if ((ModbusServer.Missing() ?? MosquittoBroker.Missing()) is { } missing)
        {
            Assert.Skip($"No Modbus server or MQTT broker to test against: {missing}.");
        }

        modbus = await ModbusServer.StartAsync(ct);
        broker = await MosquittoBroker.StartAsync(ct);
        station = new ModbusTcpClient(new ModbusClientOptions("127.0.0.1", modbus.Port), TimeProvider.System);
        subscriber = new MqttConnector(new MqttConnection("127.0.0.1", broker.Port, Username: MosquittoBroker.User, Password: MosquittoBroker.Password),
            TimeProvider.System, NullLogger.Instance);
        await subscriber.SubscribeAsync("plant/forecast/#", 1, m =>
        {
            published.Enqueue(m.Topic);
            return Task.CompletedTask;
        }, ct);
        Assert.True(await subscriber.StartAsync(TimeSpan.FromSeconds(10), ct), subscriber.LastError);
        models = new ModelHost();
        models.Put(InferenceHost.Load("solar-irradiance", SampleModels.Solar));
        driver = new DataFlowDriver(models, new NoData(), TimeProvider.System, NullLogger<DataFlowDriver>.Instance);
    }

    [Fact]
    public async Task Reconcile_StartsRestartsRefusesAndStopsFlows()
    {
        // Sun 60° up: a forecast near 870 W/m², above the first threshold (600) and below the second (950).
        await station!.WriteMultipleRegistersAsync(1, SolarFlow.Elevation, [600, 0, 250, 30], ct);
        var flow = SolarFlow.Build(modbus!.Port, broker!.Port, pollMs: 100, password: MosquittoBroker.Password);

        var first = await driver!.ReconcileAsync(State(1, Workload("solar", flow)), ct);
        Assert.Equal(WorkloadKind.DataFlow, Assert.Single(first.Statuses).Kind);
        await UntilAsync(async () => await station.ReadPointAsync(SolarFlow.SetpointPoint, ct) == 80, "the derate setpoint 80 %");
        var running = await UntilStatusAsync(1, s => s.Flow!.Steps.Single(x => x.Step == "model solar-irradiance").Count > 0);
        Assert.Equal((WorkloadState.Running, null), (running.State, running.Reason));
        Assert.Equal(DataFlowDriver.StatusInterval, first.LookAgainIn);

        // A new threshold is a new spec: the flow restarts with it and writes the other setpoint.
        var raised = flow with { Sinks = [.. flow.Sinks!.Take(2), flow.Sinks![2] with { When = new FlowCondition(">", 950, 80, 100) }] };
        await driver.ReconcileAsync(State(2, Workload("solar", raised, "h2")), ct);
        await UntilAsync(async () => await station.ReadPointAsync(SolarFlow.SetpointPoint, ct) == 100, "the setpoint back at 100 % under the new threshold");

        // A flow naming a connection it does not declare cannot run: Failed, saying which step and why; the other runs on.
        var broken = flow with { Name = "broken", Sources = [flow.Sources[0] with { Connection = "nowhere" }, .. flow.Sources.Skip(1)] };
        var report = await driver.ReconcileAsync(State(3, Workload("solar", raised, "h2"), Workload("broken", broken)), ct);
        var failed = report.Statuses.Single(s => s.Name == "broken");
        Assert.Equal(WorkloadState.Failed, failed.State);
        Assert.Contains("sources[0] (sun_elevation): the connection 'nowhere' is not declared", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(WorkloadState.Running, report.Statuses.Single(s => s.Name == "solar").State);

        // Nothing desired: the flow stops and publishes no more.
        var last = await driver.ReconcileAsync(State(4), ct);
        Assert.Empty(last.Statuses);
        Assert.Null(last.LookAgainIn);
        await Task.Delay(300, ct);
        var quiet = published.Count;
        await Task.Delay(800, ct);
        Assert.Equal(quiet, published.Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (driver is not null)
        {
            await driver.StopAsync();
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

    private static DesiredState State(long revision, params DesiredWorkload[] workloads) => new(revision, workloads);

    private static DesiredWorkload Workload(string name, DataFlowSpec flow, string hash = "h1") =>
        DesiredWorkload.Of(new DataFlowWorkloadSpec(name, "dep-" + name, hash, flow));

    private async Task<WorkloadStatus> UntilStatusAsync(long revision, Func<WorkloadStatus, bool> done)
    {
        WorkloadStatus? status = null;
        await UntilAsync(async () =>
        {
            status = (await driver!.ReconcileAsync(State(revision, Workload("solar", SolarFlow.Build(modbus!.Port, broker!.Port, pollMs: 100, password: MosquittoBroker.Password))), ct)).Statuses.Single();
            return done(status);
        }, "the flow's status");
        return status!;
    }

    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100, ct);
        }
    }

    private sealed class NoData : IFlowDataSink
    {
        public ValueTask AddAsync(string flow, string series, double value, string? unit, DateTimeOffset time, CancellationToken ct) => ValueTask.CompletedTask;
    }
}

using Portal.Agent.DataFlows;
using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;

namespace Portal.Agent.Tests.DataFlows;

/// <summary>The flow's pure core: transforms, Bad values travelling on, when the model is due and what each sink gets.</summary>
public sealed class FlowGraphTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Transforms_ScaleClampAverageWindow_FollowTheirInput()
    {
        var graph = new FlowGraph(Flow(
            new FlowTransform("kw", FlowTransformKind.Scale, "w", Factor: 0.001, Offset: 0.5),
            new FlowTransform("limited", FlowTransformKind.Clamp, "kw", Min: 1, Max: 2),
            new FlowTransform("avg", FlowTransformKind.MovingAverage, "w", Size: 2),
            new FlowTransform("last3", FlowTransformKind.Window, "w", Size: 3)));

        graph.Accept("w", FlowSample.Of(1000, T0));
        Assert.Equal(1.5, graph.Latest("kw")!.Value, 9);
        Assert.Equal(1.5, graph.Latest("limited")!.Value, 9);
        Assert.Equal(1000, graph.Latest("avg")!.Value);
        Assert.Null(graph.Latest("last3"));

        graph.Accept("w", FlowSample.Of(3000, T0.AddSeconds(1)));
        graph.Accept("w", FlowSample.Of(5000, T0.AddSeconds(2)));
        Assert.Equal(2, graph.Latest("limited")!.Value);
        Assert.Equal(4000, graph.Latest("avg")!.Value);
        Assert.Equal([1000, 3000, 5000], graph.Latest("last3")!.Values);
        graph.Accept("w", FlowSample.Of(7000, T0.AddSeconds(3)));
        Assert.Equal([3000, 5000, 7000], graph.Latest("last3")!.Values);
        Assert.Equal(T0.AddSeconds(3), graph.Latest("last3")!.Time);
    }

    [Fact]
    public void BadRead_TravelsThroughTransforms_AndTheModelSaysWhyItWaits()
    {
        var flow = Flow(new FlowTransform("kw", FlowTransformKind.Scale, "w", Factor: 0.001)) with
        {
            Model = new FlowModelStep("m", [new FlowModelInput("x", ["kw", "v"])], [new FlowModelOutput("y", "out")]),
        };
        var graph = new FlowGraph(flow);

        Assert.Equal(("'kw' has no value yet", true), (graph.ModelInputs().Why, graph.ModelInputs().Waiting));
        var effects = graph.Accept("w", FlowSample.Bad("Modbus exception 2 (illegal data address)", T0));

        Assert.True(effects.RunModel);
        Assert.False(graph.Latest("kw")!.Good);
        Assert.Equal(("'kw' is Bad: 'w' is Bad: Modbus exception 2 (illegal data address)", false), (graph.ModelInputs().Why, graph.ModelInputs().Waiting));

        graph.Accept("w", FlowSample.Of(2000, T0));
        graph.Accept("v", FlowSample.Of(7, T0));
        Assert.Equal([2, 7], graph.ModelInputs().Inputs!["x"]);
    }

    [Fact]
    public void ModelRuns_OnItsTriggerOnly_AndItsOutputsReachTheSinksThatListThem()
    {
        var flow = Flow() with
        {
            Model = new FlowModelStep("m", [new FlowModelInput("x", ["w", "v"])], [new FlowModelOutput("y", "out")], Trigger: "v"),
            Sinks = [new FlowSink(FlowSinkKind.Portal, ["out", "w"]), new FlowSink(FlowSinkKind.Portal, ["v"])],
        };
        var graph = new FlowGraph(flow);

        var first = graph.Accept("w", FlowSample.Of(1, T0));
        Assert.False(first.RunModel);
        Assert.Equal([(0, "w")], first.Sends.Select(s => (s.Sink, s.Value)));

        var second = graph.Accept("v", FlowSample.Of(2, T0));
        Assert.True(second.RunModel);
        Assert.Equal([(1, "v")], second.Sends.Select(s => (s.Sink, s.Value)));

        var outputs = graph.Accept([("out", FlowSample.Of(42, T0))]);
        Assert.Equal([(0, "out", 42.0)], outputs.Sends.Select(s => (s.Sink, s.Value, s.Sample.Value)));
        Assert.False(outputs.RunModel);
    }

    [Fact]
    public void Condition_PicksThenOrElse()
    {
        var derate = new FlowCondition(">", 600, 80, 100);
        Assert.Equal(80, derate.Apply(600.1));
        Assert.Equal(100, derate.Apply(600));
        Assert.Equal(80, new FlowCondition(">=", 600, 80, 100).Apply(600));
        Assert.Equal(1, new FlowCondition("<", 0, 1, 0).Apply(-3));
        Assert.Equal(0, new FlowCondition("<=", 0, 1, 0).Apply(0.5));
    }

    private static DataFlowSpec Flow(params FlowTransform[] transforms) => new(
        "f",
        [new FlowConnection("plc", ConnectorKind.Modbus, Modbus: new ModbusEndpoint("127.0.0.1"))],
        [
            new FlowSource("w", "plc", new ModbusPoint("w", ModbusTable.InputRegister, 0)),
            new FlowSource("v", "plc", new ModbusPoint("v", ModbusTable.InputRegister, 1)),
        ],
        transforms);
}

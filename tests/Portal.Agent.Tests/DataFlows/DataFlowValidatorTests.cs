using Portal.Testing;
using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;
using Portal.Shared.Models;

namespace Portal.Agent.Tests.DataFlows;

/// <summary>Every refusal of a data flow names the step and what to change; the shipped solar flow passes against the model's real signature.</summary>
public sealed class DataFlowValidatorTests
{
    private static readonly ModelSignature Solar = new(
        [new TensorSignature("features", "FP32", [-1, 4], ["batch", ""])],
        [new TensorSignature("irradiance", "FP32", [-1, 1], ["batch", ""])],
        new Dictionary<string, long> { [""] = 13 }, 7, "edgeportal-samples", "1.0", "solar", "", new Dictionary<string, string>());

    [Fact]
    public void SolarFlow_IsValid_WithAndWithoutTheSignature()
    {
        Assert.Empty(DataFlowValidator.Validate(SolarFlow.Build(502, 1883), Solar));
        Assert.Empty(DataFlowValidator.Validate(SolarFlow.Build(502, 1883)));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "unknown-connection", "sources[0] (sun_elevation): the connection 'nowhere' is not declared" },
        { "duplicate-value", "transforms[0] (humidity): the value 'humidity' is already defined" },
        { "opcua", "OPC UA connections are not built yet" },
        { "missing-input", "model.inputs[0] (features): 'wind' are not values of this flow" },
        { "too-few-values", "model.inputs[0] (features): the input is batch × 4: its fixed dimensions take a multiple of 4 values, the flow gives 3" },
        { "wrong-tensor", "model.inputs[0] (image): the model has no input 'image'; its inputs are features" },
        { "output-index", "model.outputs[0] (ghi_forecast): the model has no output 'ghi'" },
        { "write-input-register", "a Modbus write needs 'modbus' naming a coil or a holding register" },
        { "publish-wildcard", "publish to a topic without wildcards" },
        { "bad-op", "'when' needs an op of > >= < <=" },
        { "window-to-portal", "'last' is a window; the portal stores numbers" },
        { "window-of-window", "its input 'last' is a window" },
        { "clamp", "min (5) is above max (1)" },
        { "loop", "The values depend on each other in a loop: b → a → b" },
        { "bool-register", "coils and discrete inputs are Bool" },
        { "poll", "the poll interval must be between 50 ms and a day" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refused_WithTheStepAndTheReason(string change, string expected)
    {
        var flow = SolarFlow.Build(502, 1883);
        var sources = flow.Sources.ToList();
        var sinks = flow.Sinks!.ToList();
        var model = flow.Model!;
        flow = change switch
        {
            "unknown-connection" => flow with { Sources = [sources[0] with { Connection = "nowhere" }, .. sources.Skip(1)] },
            "duplicate-value" => flow with { Transforms = [new FlowTransform("humidity", FlowTransformKind.Scale, "cloud_cover", Factor: 2)] },
            "opcua" => flow with { Connections = [.. flow.Connections, new FlowConnection("ua", ConnectorKind.OpcUa)] },
            "missing-input" => flow with { Model = model with { Inputs = [new FlowModelInput("features", ["sun_elevation", "wind", "humidity", "air_temperature"])] } },
            "too-few-values" => flow with { Model = model with { Inputs = [new FlowModelInput("features", ["sun_elevation", "humidity", "air_temperature"])] } },
            "wrong-tensor" => flow with { Model = model with { Inputs = [model.Inputs[0] with { Tensor = "image" }] } },
            "output-index" => flow with { Model = model with { Outputs = [model.Outputs[0] with { Tensor = "ghi" }] } },
            "write-input-register" => flow with { Sinks = [sinks[2] with { Modbus = new ModbusPoint("x", ModbusTable.InputRegister, 3) }] },
            "publish-wildcard" => flow with { Sinks = [sinks[0] with { Topic = "plant/#" }] },
            "bad-op" => flow with { Sinks = [sinks[2] with { When = new FlowCondition("=>", 600, 80, 100) }] },
            "window-to-portal" => flow with
            {
                Transforms = [new FlowTransform("last", FlowTransformKind.Window, "humidity", Size: 4)],
                Sinks = [new FlowSink(FlowSinkKind.Portal, ["last"])],
            },
            "window-of-window" => flow with
            {
                Transforms = [new FlowTransform("last", FlowTransformKind.Window, "humidity", Size: 4), new FlowTransform("avg", FlowTransformKind.MovingAverage, "last", Size: 2)],
            },
            "clamp" => flow with { Transforms = [new FlowTransform("cloud_clamped", FlowTransformKind.Clamp, "cloud_cover", Min: 5, Max: 1)] },
            "loop" => flow with { Transforms = [.. flow.Transforms!, new FlowTransform("a", FlowTransformKind.Scale, "b", Factor: 1), new FlowTransform("b", FlowTransformKind.Scale, "a", Factor: 1)] },
            "bool-register" => flow with { Sources = [sources[0] with { Modbus = sources[0].Modbus! with { DataType = ModbusDataType.Bool } }, .. sources.Skip(1)] },
            "poll" => flow with { Sources = [sources[0] with { Modbus = sources[0].Modbus! with { PollIntervalMs = 10 } }, .. sources.Skip(1)] },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var problems = DataFlowValidator.Validate(flow, Solar);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new long[] { -1, 4 }, 4, new long[] { 1, 4 })]
    [InlineData(new long[] { -1, -1 }, 12, new long[] { 1, 12 })]
    [InlineData(new long[] { -1, 12, 1 }, 12, new long[] { 1, 12, 1 })]
    [InlineData(new long[] { 2, 3 }, 6, new long[] { 2, 3 })]
    [InlineData(new long[] { -1, 4 }, 8, new long[] { 2, 4 })]
    public void TensorShape_RunTimeDimensionsTakeWhatTheCountLeaves(long[] model, int count, long[] expected) =>
        Assert.Equal(expected, FlowTensorShape.Resolve(model, count, out _));

    [Fact]
    public void Units_LongerThanThePortalKeepsOrWithControlCharacters_AreRefusedNamingTheStep()
    {
        var flow = SolarFlow.Build(502, 1883);
        var longUnit = flow with { Sources = [flow.Sources[0] with { Unit = "kilowatt-hours per square metre per day" }, .. flow.Sources.Skip(1)] };
        var controlUnit = flow with { Model = flow.Model! with { Outputs = [flow.Model.Outputs[0] with { Unit = "W\nm2" }] } };

        Assert.Contains(DataFlowValidator.Validate(longUnit), p => p.StartsWith("sources (sun_elevation): a unit is at most 32", StringComparison.Ordinal));
        Assert.Contains(DataFlowValidator.Validate(controlUnit), p => p.StartsWith("model.outputs (ghi_forecast)", StringComparison.Ordinal));
    }

    [Fact]
    public void TensorShape_CountThatCannotFill_SaysWhy()
    {
        Assert.Null(FlowTensorShape.Resolve([2, 3], 5, out var fixedWhy));
        Assert.Equal("it takes exactly 6 values, the flow gives 5", fixedWhy);
        Assert.Null(FlowTensorShape.Resolve([-1, 4], 6, out var freeWhy));
        Assert.Contains("multiple of 4", freeWhy, StringComparison.Ordinal);
    }
}

using System.Text.Json.Serialization;
using Portal.Shared.Connectors;
using Portal.Shared.Json;

namespace Portal.Shared.DataFlows;

/// <summary>Where a sink sends values.</summary>
[JsonConverter(typeof(EnumNameConverter<FlowSinkKind>))]
public enum FlowSinkKind
{
    /// <summary>Each new value is published to <c>Topic</c> (where <c>{name}</c> is the value's name) as JSON: name, value, unit, time.</summary>
    MqttPublish,

    /// <summary>Each new value (or what <c>When</c> makes of it) is written to a coil or holding register.</summary>
    ModbusWrite,

    /// <summary>Each new value goes to the portal as device data (through the agent's durable outbox, so none is lost offline).</summary>
    Portal,
}

/// <summary>
/// Sends its <see cref="Values"/> on each time one of them changes. A Modbus write takes one value; with
/// <see cref="When"/> it writes <c>When.Then</c> while the value meets the condition and <c>When.Else</c> otherwise
/// (a derate setpoint), and only when what it would write changes.
/// </summary>
public sealed record FlowSink(
    FlowSinkKind Kind,
    IReadOnlyList<string> Values,
    string? Connection = null,
    string? Topic = null,
    int Qos = 0,
    bool Retain = false,
    ModbusPoint? Modbus = null,
    FlowCondition? When = null);

/// <summary><c>value Op Threshold</c> (Op is one of &gt;, &gt;=, &lt;, &lt;=) decides between <see cref="Then"/> and <see cref="Else"/>.</summary>
public sealed record FlowCondition(string Op, double Threshold, double Then, double Else)
{
    public static readonly string[] Ops = [">", ">=", "<", "<="];

    public double Apply(double value) => (Op switch
    {
        ">" => value > Threshold,
        ">=" => value >= Threshold,
        "<" => value < Threshold,
        "<=" => value <= Threshold,
        _ => false,
    }) ? Then : Else;
}

using Portal.Shared.Connectors;

namespace Portal.Shared.DataFlows;

/// <summary>
/// A data flow: a small pipeline a device runs on its own, online or not. <see cref="Sources"/> read named values from
/// plant connections (Modbus points, MQTT topics); <see cref="Transforms"/> derive new named values from them; an
/// optional <see cref="Model"/> step feeds values into a model served on the same device and names its outputs;
/// <see cref="Sinks"/> send values on (MQTT publish, Modbus write, the portal as device data). Every value has one name
/// in one namespace (sources, transforms and model outputs), which is how the steps are wired together.
/// </summary>
public sealed record DataFlowSpec(
    string Name,
    IReadOnlyList<FlowConnection> Connections,
    IReadOnlyList<FlowSource> Sources,
    IReadOnlyList<FlowTransform>? Transforms = null,
    FlowModelStep? Model = null,
    IReadOnlyList<FlowSink>? Sinks = null);

/// <summary>A plant connection the flow's sources and sinks name: a Modbus TCP server or an MQTT broker.</summary>
public sealed record FlowConnection(string Name, ConnectorKind Kind, ModbusEndpoint? Modbus = null, MqttConnection? Mqtt = null);

/// <summary>A Modbus TCP server: <see cref="TimeoutMs"/> bounds each request.</summary>
public sealed record ModbusEndpoint(string Host, int Port = 502, int TimeoutMs = 1000);

/// <summary>
/// One value read from a connection: a Modbus point polled every <c>PollIntervalMs</c> (the point's own name is only a
/// label; <see cref="Name"/> is the value's), or an MQTT topic whose payload is a number or JSON with a path to one.
/// </summary>
public sealed record FlowSource(string Name, string Connection, ModbusPoint? Modbus = null, MqttTopicSource? Mqtt = null, string? Unit = null);

/// <summary>An MQTT topic filter (wildcards allowed) and where the number is in its payload (<c>null</c>: the whole payload; else a JSON path like <c>data.ghi</c>).</summary>
public sealed record MqttTopicSource(string Topic, string? JsonPath = null, int Qos = 0);

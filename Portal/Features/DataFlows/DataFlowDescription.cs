using System.Globalization;
using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;

namespace Portal.Features.DataFlows;

/// <summary>Pure: a flow in sentences, step by step, as an operator reads it on the flow's page.</summary>
public static class DataFlowDescription
{
    public static IReadOnlyList<(string Heading, IReadOnlyList<string> Lines)> Of(DataFlowSpec spec)
    {
        var sections = new List<(string, IReadOnlyList<string>)>
        {
            ("Connections", [.. spec.Connections.Select(c => c.Kind switch
            {
                ConnectorKind.Modbus => $"{c.Name}: Modbus TCP server at {c.Modbus?.Host}:{c.Modbus?.Port} (requests time out after {c.Modbus?.TimeoutMs} ms)",
                ConnectorKind.Mqtt => $"{c.Name}: MQTT {c.Mqtt?.ProtocolVersion} broker at {c.Mqtt?.Host}:{c.Mqtt?.Port}{(c.Mqtt?.UseTls == true ? " over TLS" : "")}"
                    + (c.Mqtt?.Username is { } u ? $" as {u}" : "") + (c.Mqtt?.Password is { } p ? $", password {p}" : ""),
                _ => $"{c.Name}: {c.Kind} (not available)",
            })]),
            ("Reads", [.. spec.Sources.Select(s => s.Modbus is { } m
                ? $"{s.Name}: {m.Table} {m.Address} ({m.DataType}) on {s.Connection} every {m.PollIntervalMs} ms{Scaling(m)}{Unit(s.Unit ?? m.Unit)}"
                : $"{s.Name}: topic {s.Mqtt?.Topic} on {s.Connection}{(s.Mqtt?.JsonPath is { } path ? $", field {path}" : "")}{Unit(s.Unit)}")]),
        };
        if (spec.Transforms is { Count: > 0 } transforms)
        {
            sections.Add(("Derives", [.. transforms.Select(t => t.Kind switch
            {
                FlowTransformKind.Scale => $"{t.Name} = {t.Input} × {N(t.Factor ?? 1)} + {N(t.Offset ?? 0)}",
                FlowTransformKind.Clamp => $"{t.Name} = {t.Input} kept between {N(t.Min)} and {N(t.Max)}",
                FlowTransformKind.MovingAverage => $"{t.Name} = mean of the last {t.Size} values of {t.Input}",
                _ => $"{t.Name} = the last {t.Size} values of {t.Input}, oldest first",
            } + Unit(t.Unit))]));
        }

        if (spec.Model is { } model)
        {
            sections.Add(($"Model {model.Model}", [
                .. model.Inputs.Select(i => $"input {i.Tensor} ← {string.Join(", ", i.Values)}"),
                .. model.Outputs.Select(o => $"output {o.Tensor}[{o.Index}] → {o.Name}{Unit(o.Unit)}"),
                model.Trigger is { } trigger ? $"runs each time {trigger} arrives" : "runs whenever an input changes",
            ]));
        }

        sections.Add(("Sends", spec.Sinks is { Count: > 0 } sinks ? [.. sinks.Select(k => k.Kind switch
        {
            FlowSinkKind.MqttPublish => $"{string.Join(", ", k.Values)} to {k.Connection}, topic {k.Topic} (QoS {k.Qos}{(k.Retain ? ", retained" : "")})",
            FlowSinkKind.ModbusWrite when k.When is { } w =>
                $"to {k.Connection} {k.Modbus?.Table} {k.Modbus?.Address}: {N(w.Then)} while {string.Join(", ", k.Values)} {w.Op} {N(w.Threshold)}, else {N(w.Else)} (written when it changes)",
            FlowSinkKind.ModbusWrite => $"{string.Join(", ", k.Values)} to {k.Connection} {k.Modbus?.Table} {k.Modbus?.Address}",
            _ => $"{string.Join(", ", k.Values)} to the portal as device data",
        })] : ["nothing (add an output)"]));
        return sections;
    }

    private static string Scaling(ModbusPoint m) =>
        m.Scale == 1 && m.Offset == 0 ? "" : $", × {N(m.Scale)}{(m.Offset == 0 ? "" : $" + {N(m.Offset)}")}";

    private static string Unit(string? unit) => unit is null ? "" : $" [{unit}]";

    private static string N(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "?";
}

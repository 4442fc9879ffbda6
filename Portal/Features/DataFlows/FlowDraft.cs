using Portal.Shared.Connectors;
using Portal.Shared.DataFlows;

namespace Portal.Features.DataFlows;

/// <summary>
/// A flow as the editor holds it: plain rows a form can bind to, turned into a <see cref="DataFlowSpec"/> to save and
/// made from one to edit a new version. Fields the form does not show (word order, unit id…) are kept from the spec it
/// was made from. Value lists are typed comma-separated ("sun_elevation, cloud_cover").
/// </summary>
public sealed class FlowDraft
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public string Notes { get; set; } = "";

    public List<ConnectionRow> Connections { get; } = [];

    public List<SourceRow> Sources { get; } = [];

    public List<TransformRow> Transforms { get; } = [];

    public bool HasModel { get; set; }

    public string Model { get; set; } = "";

    public string Trigger { get; set; } = "";

    public List<ModelInputRow> Inputs { get; } = [];

    public List<ModelOutputRow> Outputs { get; } = [];

    public List<SinkRow> Sinks { get; } = [];

    /// <summary>Every value name a later step can use, in the order they are declared.</summary>
    public IReadOnlyList<string> ValueNames =>
        [.. Sources.Select(s => s.Name), .. Transforms.Select(t => t.Name), .. HasModel ? Outputs.Select(o => o.Name) : []];

    public sealed class ConnectionRow
    {
        public string Name { get; set; } = "";
        public ConnectorKind Kind { get; set; } = ConnectorKind.Modbus;
        public string Host { get; set; } = "";
        public int Port { get; set; } = 502;
        public int TimeoutMs { get; set; } = 1000;
        public string Username { get; set; } = "";
        /// <summary>The fleet secret holding the broker password (written as <c>${secret:NAME}</c>), or empty.</summary>
        public string PasswordSecret { get; set; } = "";
        public bool UseTls { get; set; }
        public string ProtocolVersion { get; set; } = "5";
        public MqttConnection? Kept { get; set; }
    }

    public sealed class SourceRow
    {
        public string Name { get; set; } = "";
        public string Connection { get; set; } = "";
        public string Unit { get; set; } = "";
        public ModbusTable Table { get; set; } = ModbusTable.HoldingRegister;
        public int Address { get; set; }
        public ModbusDataType DataType { get; set; } = ModbusDataType.UInt16;
        public double Scale { get; set; } = 1;
        public double Offset { get; set; }
        public int PollIntervalMs { get; set; } = 1000;
        public string Topic { get; set; } = "";
        public string JsonPath { get; set; } = "";
        public ModbusPoint? Kept { get; set; }
    }

    public sealed class TransformRow
    {
        public string Name { get; set; } = "";
        public FlowTransformKind Kind { get; set; } = FlowTransformKind.Clamp;
        public string Input { get; set; } = "";
        public double? Factor { get; set; }
        public double? Offset { get; set; }
        public double? Min { get; set; }
        public double? Max { get; set; }
        public int? Size { get; set; }
        public string Unit { get; set; } = "";
    }

    public sealed class ModelInputRow
    {
        public string Tensor { get; set; } = "";
        public string Values { get; set; } = "";
    }

    public sealed class ModelOutputRow
    {
        public string Tensor { get; set; } = "";
        public string Name { get; set; } = "";
        public int Index { get; set; }
        public string Unit { get; set; } = "";
    }

    public sealed class SinkRow
    {
        public FlowSinkKind Kind { get; set; } = FlowSinkKind.Portal;
        public string Values { get; set; } = "";
        public string Connection { get; set; } = "";
        public string Topic { get; set; } = "";
        public int Qos { get; set; }
        public bool Retain { get; set; }
        public ModbusTable Table { get; set; } = ModbusTable.HoldingRegister;
        public int Address { get; set; }
        public ModbusDataType DataType { get; set; } = ModbusDataType.UInt16;
        public bool Conditional { get; set; }
        public string Op { get; set; } = ">";
        public double Threshold { get; set; }
        public double Then { get; set; }
        public double Else { get; set; }
        public ModbusPoint? Kept { get; set; }
    }

    public DataFlowSpec ToSpec() => new(
        Name.Trim(),
        [.. Connections.Select(c => c.Kind switch
        {
            ConnectorKind.Mqtt => new FlowConnection(c.Name.Trim(), c.Kind, Mqtt: (c.Kept ?? new MqttConnection(c.Host)) with
            {
                Host = c.Host.Trim(), Port = c.Port, Username = Blank(c.Username), UseTls = c.UseTls, ProtocolVersion = c.ProtocolVersion,
                Password = string.IsNullOrWhiteSpace(c.PasswordSecret) ? null : $"${{secret:{c.PasswordSecret.Trim()}}}",
            }),
            _ => new FlowConnection(c.Name.Trim(), c.Kind, Modbus: new ModbusEndpoint(c.Host.Trim(), c.Port, c.TimeoutMs)),
        })],
        [.. Sources.Select(s => KindOf(s.Connection) == ConnectorKind.Mqtt
            ? new FlowSource(s.Name.Trim(), s.Connection, Mqtt: new MqttTopicSource(s.Topic.Trim(), Blank(s.JsonPath)), Unit: Blank(s.Unit))
            : new FlowSource(s.Name.Trim(), s.Connection, Modbus: (s.Kept ?? new ModbusPoint(s.Name, s.Table, s.Address)) with
            {
                Name = s.Name.Trim(), Table = s.Table, Address = s.Address, DataType = s.DataType, Scale = s.Scale, Offset = s.Offset,
                Unit = Blank(s.Unit), PollIntervalMs = s.PollIntervalMs,
            }))],
        Transforms.Count == 0 ? null : [.. Transforms.Select(t => new FlowTransform(t.Name.Trim(), t.Kind, t.Input, t.Factor, t.Offset, t.Min, t.Max, t.Size, Blank(t.Unit)))],
        HasModel ? new FlowModelStep(Model,
            [.. Inputs.Select(i => new FlowModelInput(i.Tensor.Trim(), List(i.Values)))],
            [.. Outputs.Select(o => new FlowModelOutput(o.Tensor.Trim(), o.Name.Trim(), o.Index, Blank(o.Unit)))],
            Blank(Trigger)) : null,
        Sinks.Count == 0 ? null : [.. Sinks.Select(k => new FlowSink(k.Kind, List(k.Values),
            k.Kind == FlowSinkKind.Portal ? null : k.Connection,
            k.Kind == FlowSinkKind.MqttPublish ? k.Topic.Trim() : null,
            k.Qos, k.Retain,
            k.Kind == FlowSinkKind.ModbusWrite ? (k.Kept ?? new ModbusPoint("setpoint", k.Table, k.Address)) with { Table = k.Table, Address = k.Address, DataType = k.DataType } : null,
            k.Kind == FlowSinkKind.ModbusWrite && k.Conditional ? new FlowCondition(k.Op, k.Threshold, k.Then, k.Else) : null))]);

    public static FlowDraft From(DataFlowSpec spec, string description = "")
    {
        var draft = new FlowDraft { Name = spec.Name, Description = description };
        foreach (var c in spec.Connections)
        {
            draft.Connections.Add(new ConnectionRow
            {
                Name = c.Name, Kind = c.Kind, Host = c.Modbus?.Host ?? c.Mqtt?.Host ?? "", Port = c.Modbus?.Port ?? c.Mqtt?.Port ?? 502,
                TimeoutMs = c.Modbus?.TimeoutMs ?? 1000, Username = c.Mqtt?.Username ?? "", UseTls = c.Mqtt?.UseTls ?? false,
                ProtocolVersion = c.Mqtt?.ProtocolVersion ?? "5", Kept = c.Mqtt,
                PasswordSecret = c.Mqtt?.Password is { } p && p.StartsWith("${secret:", StringComparison.Ordinal) && p.EndsWith('}') ? p[9..^1] : "",
            });
        }

        foreach (var s in spec.Sources)
        {
            draft.Sources.Add(new SourceRow
            {
                Name = s.Name, Connection = s.Connection, Unit = s.Unit ?? s.Modbus?.Unit ?? "", Kept = s.Modbus,
                Table = s.Modbus?.Table ?? ModbusTable.HoldingRegister, Address = s.Modbus?.Address ?? 0, DataType = s.Modbus?.DataType ?? ModbusDataType.UInt16,
                Scale = s.Modbus?.Scale ?? 1, Offset = s.Modbus?.Offset ?? 0, PollIntervalMs = s.Modbus?.PollIntervalMs ?? 1000,
                Topic = s.Mqtt?.Topic ?? "", JsonPath = s.Mqtt?.JsonPath ?? "",
            });
        }

        foreach (var t in spec.Transforms ?? [])
        {
            draft.Transforms.Add(new TransformRow { Name = t.Name, Kind = t.Kind, Input = t.Input, Factor = t.Factor, Offset = t.Offset, Min = t.Min, Max = t.Max, Size = t.Size, Unit = t.Unit ?? "" });
        }

        if (spec.Model is { } m)
        {
            (draft.HasModel, draft.Model, draft.Trigger) = (true, m.Model, m.Trigger ?? "");
            draft.Inputs.AddRange(m.Inputs.Select(i => new ModelInputRow { Tensor = i.Tensor, Values = string.Join(", ", i.Values) }));
            draft.Outputs.AddRange(m.Outputs.Select(o => new ModelOutputRow { Tensor = o.Tensor, Name = o.Name, Index = o.Index, Unit = o.Unit ?? "" }));
        }

        foreach (var k in spec.Sinks ?? [])
        {
            draft.Sinks.Add(new SinkRow
            {
                Kind = k.Kind, Values = string.Join(", ", k.Values), Connection = k.Connection ?? "", Topic = k.Topic ?? "", Qos = k.Qos, Retain = k.Retain,
                Table = k.Modbus?.Table ?? ModbusTable.HoldingRegister, Address = k.Modbus?.Address ?? 0, DataType = k.Modbus?.DataType ?? ModbusDataType.UInt16, Kept = k.Modbus,
                Conditional = k.When is not null, Op = k.When?.Op ?? ">", Threshold = k.When?.Threshold ?? 0, Then = k.When?.Then ?? 0, Else = k.When?.Else ?? 0,
            });
        }

        return draft;
    }

    public ConnectorKind? KindOf(string connection) => Connections.FirstOrDefault(c => c.Name == connection)?.Kind;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static List<string> List(string text) =>
        [.. text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

using System.Text.RegularExpressions;
using Portal.Shared.Connectors;
using Portal.Shared.Models;

namespace Portal.Shared.DataFlows;

/// <summary>
/// Pure: what is wrong with a data flow, each problem naming the step (<c>sources[2] (ghi)</c>) and what to change. The
/// portal refuses a flow with any problem; the agent checks again before it runs one (its model's real signature).
/// With <paramref name="signature"/> the model step's tensors, element types and value counts are checked too.
/// </summary>
public static partial class DataFlowValidator
{
    public const int MaxSteps = 256;
    public const int MaxWindow = 4096;

    /// <summary>The longest unit a value may have (the portal's device data keeps no longer).</summary>
    public const int MaxUnitLength = 32;

    private static readonly string[] FloatTypes = ["FP32", "FP64"];

    public static IReadOnlyList<string> Validate(DataFlowSpec flow, ModelSignature? signature = null)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(flow.Name) || !FlowName().IsMatch(flow.Name))
        {
            problems.Add("The flow's name must be 1–64 letters, digits, '-', '_' or '.'.");
        }

        var connections = Connections(flow, problems);
        // Every value's name, and whether it is a vector (a window) rather than one number.
        var values = new Dictionary<string, bool>(StringComparer.Ordinal);
        void Declare(string where, string name, bool vector)
        {
            if (string.IsNullOrWhiteSpace(name) || !ValueName().IsMatch(name))
            {
                problems.Add($"{where}: a value's name must start with a letter or '_' and hold at most 64 letters, digits, '_', '-' or '.'.");
            }
            else if (!values.TryAdd(name, vector))
            {
                problems.Add($"{where}: the value '{name}' is already defined by another step; each value has one name.");
            }
        }

        if (flow.Sources.Count == 0)
        {
            problems.Add("A flow needs at least one source.");
        }

        foreach (var (source, i) in flow.Sources.Take(MaxSteps).Select((s, i) => (s, i)))
        {
            var where = $"sources[{i}] ({source.Name})";
            Declare(where, source.Name, vector: false);
            CheckSource(where, source, connections, problems);
        }

        var transforms = flow.Transforms ?? [];
        foreach (var (t, i) in transforms.Take(MaxSteps).Select((t, i) => (t, i)))
        {
            Declare($"transforms[{i}] ({t.Name})", t.Name, t.Kind == FlowTransformKind.Window);
        }

        if (flow.Model is { } model)
        {
            foreach (var (o, i) in model.Outputs.Select((o, i) => (o, i)))
            {
                Declare($"model.outputs[{i}] ({o.Name})", o.Name, vector: false);
            }
        }

        foreach (var (t, i) in transforms.Take(MaxSteps).Select((t, i) => (t, i)))
        {
            CheckTransform($"transforms[{i}] ({t.Name})", t, values, problems);
        }

        if (flow.Model is { } step)
        {
            CheckModel(step, values, transforms, signature, problems);
        }

        foreach (var (sink, i) in (flow.Sinks ?? []).Take(MaxSteps).Select((s, i) => (s, i)))
        {
            CheckSink($"sinks[{i}] ({sink.Kind})", sink, values, connections, problems);
        }

        // A value sent to the portal carries its unit; the portal keeps units of at most this length.
        var units = flow.Sources.Select(s => (Where: $"sources ({s.Name})", Unit: s.Unit ?? s.Modbus?.Unit))
            .Concat(transforms.Select(t => (Where: $"transforms ({t.Name})", t.Unit)))
            .Concat((flow.Model?.Outputs ?? []).Select(o => (Where: $"model.outputs ({o.Name})", o.Unit)));
        foreach (var (where, unit) in units.Where(u => u.Unit is { } text && (text.Length > MaxUnitLength || text.Any(char.IsControl))))
        {
            problems.Add($"{where}: a unit is at most {MaxUnitLength} printable characters ('W/m2', '°C', 'kWh'), not '{unit![..Math.Min(unit!.Length, 40)]}'.");
        }

        if (new[] { flow.Sources.Count, transforms.Count, flow.Sinks?.Count ?? 0, flow.Connections.Count }.Any(c => c > MaxSteps))
        {
            problems.Add($"A flow holds at most {MaxSteps} connections, sources, transforms and sinks of each kind.");
        }

        if (problems.Count == 0 && Cycle(flow) is { } cycle)
        {
            problems.Add($"The values depend on each other in a loop: {cycle}.");
        }

        return problems;
    }

    private static Dictionary<string, FlowConnection> Connections(DataFlowSpec flow, List<string> problems)
    {
        var byName = new Dictionary<string, FlowConnection>(StringComparer.Ordinal);
        foreach (var (c, i) in flow.Connections.Take(MaxSteps).Select((c, i) => (c, i)))
        {
            var where = $"connections[{i}] ({c.Name})";
            if (string.IsNullOrWhiteSpace(c.Name) || !byName.TryAdd(c.Name, c))
            {
                problems.Add($"{where}: each connection needs a name of its own.");
                continue;
            }

            switch (c.Kind)
            {
                case ConnectorKind.OpcUa:
                    problems.Add($"{where}: OPC UA connections are not built yet (no OPC UA stack is available to the agent); use Modbus or MQTT.");
                    break;
                case ConnectorKind.Modbus when c.Modbus is not { } m:
                    problems.Add($"{where}: a Modbus connection needs 'modbus' with the server's host and port.");
                    break;
                case ConnectorKind.Modbus when string.IsNullOrWhiteSpace(c.Modbus!.Host) || c.Modbus.Port is < 1 or > 65535:
                    problems.Add($"{where}: a Modbus server needs a host and a port between 1 and 65535.");
                    break;
                case ConnectorKind.Modbus when c.Modbus!.TimeoutMs is < 50 or > 60_000:
                    problems.Add($"{where}: the request timeout must be between 50 and 60000 ms.");
                    break;
                case ConnectorKind.Mqtt when c.Mqtt is not { } q || string.IsNullOrWhiteSpace(q.Host) || q.Port is < 1 or > 65535:
                    problems.Add($"{where}: an MQTT connection needs 'mqtt' with the broker's host and a port between 1 and 65535.");
                    break;
                case ConnectorKind.Mqtt when c.Mqtt!.ProtocolVersion is not ("3.1.1" or "5"):
                    problems.Add($"{where}: the MQTT protocol version is \"3.1.1\" or \"5\".");
                    break;
            }
        }

        return byName;
    }

    private static void CheckSource(string where, FlowSource source, Dictionary<string, FlowConnection> connections, List<string> problems)
    {
        if (!connections.TryGetValue(source.Connection ?? "", out var connection))
        {
            problems.Add($"{where}: the connection '{source.Connection}' is not declared in 'connections'.");
            return;
        }

        if (connection.Kind == ConnectorKind.Modbus)
        {
            if (source.Modbus is not { } p)
            {
                problems.Add($"{where}: a source on a Modbus connection needs 'modbus' (table, address, data type).");
            }
            else if (CheckPoint(p) is { } bad)
            {
                problems.Add($"{where}: {bad}");
            }
            else if (p.PollIntervalMs is < 50 or > 86_400_000)
            {
                problems.Add($"{where}: the poll interval must be between 50 ms and a day.");
            }
        }
        else if (connection.Kind == ConnectorKind.Mqtt && (source.Mqtt is not { } t || string.IsNullOrWhiteSpace(t.Topic) || t.Qos is < 0 or > 1))
        {
            problems.Add($"{where}: a source on an MQTT connection needs 'mqtt' with a topic (wildcards allowed) and QoS 0 or 1.");
        }
    }

    private static string? CheckPoint(ModbusPoint p)
    {
        if (p.Address is < 0 or > 65535 || p.Address + p.RegisterCount > 65536)
        {
            return "the address must be between 0 and 65535 (zero-based) and the value must end within the table.";
        }

        if ((p.Table is ModbusTable.Coil or ModbusTable.DiscreteInput) != (p.DataType == ModbusDataType.Bool))
        {
            return "coils and discrete inputs are Bool; registers are Int16, UInt16, Int32, UInt32, Float32 or Float64.";
        }

        return double.IsFinite(p.Scale) && double.IsFinite(p.Offset) && p.Scale != 0 ? null : "scale must be a finite number other than 0, and offset finite.";
    }

    private static void CheckTransform(string where, FlowTransform t, Dictionary<string, bool> values, List<string> problems)
    {
        if (!values.TryGetValue(t.Input ?? "", out var vector))
        {
            problems.Add($"{where}: its input '{t.Input}' is not a value of this flow.");
        }
        else if (vector)
        {
            problems.Add($"{where}: its input '{t.Input}' is a window (several numbers); transforms take one number.");
        }

        var problem = t.Kind switch
        {
            FlowTransformKind.Scale when t.Factor is null && t.Offset is null => "a Scale needs 'factor', 'offset' or both.",
            FlowTransformKind.Scale when !double.IsFinite(t.Factor ?? 1) || !double.IsFinite(t.Offset ?? 0) => "factor and offset must be finite numbers.",
            FlowTransformKind.Clamp when t.Min is null && t.Max is null => "a Clamp needs 'min', 'max' or both.",
            FlowTransformKind.Clamp when t.Min > t.Max => $"min ({t.Min}) is above max ({t.Max}).",
            FlowTransformKind.MovingAverage or FlowTransformKind.Window when t.Size is not (>= 1 and <= MaxWindow) => $"'size' must be between 1 and {MaxWindow} samples.",
            _ => null,
        };
        if (problem is not null)
        {
            problems.Add($"{where}: {problem}");
        }
    }

    private static void CheckModel(FlowModelStep step, Dictionary<string, bool> values, IReadOnlyList<FlowTransform> transforms, ModelSignature? signature, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(step.Model))
        {
            problems.Add("model: name the model (as it is deployed on the device).");
        }

        if (step.Inputs.Count == 0 || step.Outputs.Count == 0)
        {
            problems.Add("model: a model step needs at least one input and one output.");
        }

        if (step.Trigger is { } trigger && !values.ContainsKey(trigger))
        {
            problems.Add($"model: its trigger '{trigger}' is not a value of this flow.");
        }

        var sizes = transforms.Where(t => t.Kind == FlowTransformKind.Window).ToDictionary(t => t.Name, t => t.Size ?? 1, StringComparer.Ordinal);
        foreach (var (input, i) in step.Inputs.Select((x, i) => (x, i)))
        {
            var where = $"model.inputs[{i}] ({input.Tensor})";
            var missing = input.Values.Where(v => !values.ContainsKey(v)).ToList();
            if (input.Values.Count == 0 || missing.Count > 0)
            {
                problems.Add($"{where}: " + (missing.Count > 0 ? $"{string.Join(", ", missing.Select(m => $"'{m}'"))} are not values of this flow." : "list the values that fill it."));
                continue;
            }

            if (signature is null)
            {
                continue;
            }

            if (signature.Inputs.FirstOrDefault(s => s.Name == input.Tensor) is not { } tensor)
            {
                problems.Add($"{where}: the model has no input '{input.Tensor}'; its inputs are {string.Join(", ", signature.Inputs.Select(s => s.Name))}.");
                continue;
            }

            if (!FloatTypes.Contains(tensor.Datatype))
            {
                problems.Add($"{where}: the input is {tensor.Datatype}; a flow fills FP32 and FP64 inputs.");
            }

            var count = input.Values.Sum(v => sizes.GetValueOrDefault(v, 1));
            if (FlowTensorShape.Resolve(tensor.Shape, count, out var why) is null)
            {
                problems.Add($"{where}: the input is {tensor.ShapeText()}: {why}.");
            }
        }

        if (signature is not null)
        {
            var missingInputs = signature.Inputs.Select(s => s.Name).Except(step.Inputs.Select(x => x.Tensor), StringComparer.Ordinal).ToList();
            if (missingInputs.Count > 0)
            {
                problems.Add($"model: the model also needs {string.Join(", ", missingInputs)}; fill every input.");
            }
        }

        foreach (var (output, i) in step.Outputs.Select((x, i) => (x, i)))
        {
            var where = $"model.outputs[{i}] ({output.Name})";
            if (output.Index < 0)
            {
                problems.Add($"{where}: the element index must be 0 or more.");
            }

            if (signature is null)
            {
                continue;
            }

            if (signature.Outputs.FirstOrDefault(s => s.Name == output.Tensor) is not { } tensor)
            {
                problems.Add($"{where}: the model has no output '{output.Tensor}'; its outputs are {string.Join(", ", signature.Outputs.Select(s => s.Name))}.");
            }
            else if (!FloatTypes.Contains(tensor.Datatype) && tensor.Datatype is not ("INT64" or "INT32" or "BOOL"))
            {
                problems.Add($"{where}: the output is {tensor.Datatype}; a flow reads numbers (FP32, FP64, INT32, INT64, BOOL).");
            }
            else if (tensor.Shape.All(d => d >= 0) && output.Index >= tensor.Shape.Aggregate(1L, (a, d) => a * d))
            {
                problems.Add($"{where}: the output is {tensor.ShapeText()}, so the index must be below {tensor.Shape.Aggregate(1L, (a, d) => a * d)}.");
            }
        }
    }

    private static void CheckSink(string where, FlowSink sink, Dictionary<string, bool> values, Dictionary<string, FlowConnection> connections, List<string> problems)
    {
        var missing = sink.Values.Where(v => !values.ContainsKey(v)).ToList();
        if (sink.Values.Count == 0 || missing.Count > 0)
        {
            problems.Add($"{where}: " + (missing.Count > 0 ? $"{string.Join(", ", missing.Select(m => $"'{m}'"))} are not values of this flow." : "list the values it sends."));
            return;
        }

        var connection = sink.Connection is { } name ? connections.GetValueOrDefault(name) : null;
        switch (sink.Kind)
        {
            case FlowSinkKind.MqttPublish when connection?.Kind != ConnectorKind.Mqtt:
                problems.Add($"{where}: an MQTT sink names an MQTT connection of 'connections'.");
                break;
            case FlowSinkKind.MqttPublish when string.IsNullOrWhiteSpace(sink.Topic) || sink.Topic.Contains('#') || sink.Topic.Contains('+') || sink.Qos is < 0 or > 1:
                problems.Add($"{where}: publish to a topic without wildcards ('{{name}}' stands for the value's name), with QoS 0 or 1.");
                break;
            case FlowSinkKind.ModbusWrite when connection?.Kind != ConnectorKind.Modbus:
                problems.Add($"{where}: a Modbus write names a Modbus connection of 'connections'.");
                break;
            case FlowSinkKind.ModbusWrite when sink.Values.Count != 1 || values[sink.Values[0]]:
                problems.Add($"{where}: a Modbus write takes exactly one value, a number (not a window).");
                break;
            case FlowSinkKind.ModbusWrite when sink.Modbus is not { Writable: true } point:
                problems.Add($"{where}: a Modbus write needs 'modbus' naming a coil or a holding register (the other tables are read-only).");
                break;
            case FlowSinkKind.ModbusWrite when CheckPoint(sink.Modbus!) is { } bad:
                problems.Add($"{where}: {bad}");
                break;
            case FlowSinkKind.ModbusWrite when sink.When is { } w && (!FlowCondition.Ops.Contains(w.Op) || !double.IsFinite(w.Threshold) || !double.IsFinite(w.Then) || !double.IsFinite(w.Else)):
                problems.Add($"{where}: 'when' needs an op of {string.Join(" ", FlowCondition.Ops)} and finite threshold, then and else.");
                break;
            case FlowSinkKind.Portal when sink.Values.FirstOrDefault(v => values[v]) is { } window:
                problems.Add($"{where}: '{window}' is a window; the portal stores numbers (send the window's source instead).");
                break;
        }
    }

    /// <summary>The first loop among the values ("a → b → a"), or null.</summary>
    private static string? Cycle(DataFlowSpec flow)
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Edge(string from, string to) => (edges.TryGetValue(from, out var list) ? list : edges[from] = []).Add(to);
        foreach (var t in flow.Transforms ?? [])
        {
            Edge(t.Input, t.Name);
        }

        if (flow.Model is { } model)
        {
            foreach (var input in model.Inputs.SelectMany(i => i.Values))
            {
                foreach (var output in model.Outputs)
                {
                    Edge(input, output.Name);
                }
            }
        }

        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        string? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 1)
            {
                return string.Join(" → ", path.SkipWhile(p => p != node).Append(node));
            }

            if (state.GetValueOrDefault(node) == 2)
            {
                return null;
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        return edges.Keys.ToList().Select(Visit).FirstOrDefault(c => c is not null);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex FlowName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex ValueName();
}

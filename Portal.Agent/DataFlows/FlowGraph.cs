using Portal.Shared.DataFlows;

namespace Portal.Agent.DataFlows;

/// <summary>
/// Pure and single-threaded: the flow's values and what a new one sets off. <see cref="Accept"/> stores a value, runs the
/// transforms that read it (and those that read theirs), and answers what to do next: the sinks to send to and whether
/// the model step is due. The runner does the I/O and hands the model's outputs back to <see cref="Accept"/>.
/// </summary>
public sealed class FlowGraph
{
    private readonly DataFlowSpec flow;
    private readonly Dictionary<string, FlowSample> latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FlowTransform>> readers;
    private readonly Dictionary<string, Queue<double>> windows = new(StringComparer.Ordinal);
    private readonly string? trigger;

    public FlowGraph(DataFlowSpec flow)
    {
        this.flow = flow;
        readers = (flow.Transforms ?? []).GroupBy(t => t.Input, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        trigger = flow.Model is { } model ? model.Trigger ?? model.Inputs.SelectMany(i => i.Values).FirstOrDefault() : null;
    }

    /// <summary>What a new value sets off.</summary>
    public sealed record Effects(IReadOnlyList<(int Sink, string Value, FlowSample Sample)> Sends, bool RunModel);

    public FlowSample? Latest(string name) => latest.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, FlowSample> Values => latest;

    /// <summary>Stores <paramref name="sample"/> as <paramref name="name"/> and follows it through the transforms.</summary>
    public Effects Accept(string name, FlowSample sample) => Accept([(name, sample)]);

    /// <summary>Several values at once (a model's outputs): each is stored before anything they set off runs.</summary>
    public Effects Accept(IReadOnlyList<(string Name, FlowSample Sample)> samples)
    {
        var changed = new List<string>();
        var pending = new Queue<(string, FlowSample)>(samples);
        while (pending.TryDequeue(out var item))
        {
            var (name, sample) = item;
            latest[name] = sample;
            changed.Add(name);
            foreach (var t in readers.GetValueOrDefault(name) ?? [])
            {
                if (Transform(t, sample) is { } output)
                {
                    pending.Enqueue((t.Name, output));
                }
            }
        }

        var sends = new List<(int, string, FlowSample)>();
        var sinks = flow.Sinks ?? [];
        for (var i = 0; i < sinks.Count; i++)
        {
            foreach (var value in sinks[i].Values.Where(changed.Contains))
            {
                sends.Add((i, value, latest[value]));
            }
        }

        return new Effects(sends, trigger is not null && changed.Contains(trigger, StringComparer.Ordinal));
    }

    /// <summary>
    /// The model's inputs from the latest values, tensor by tensor in the step's order; or the reason it cannot run now:
    /// a value not read yet (<c>Waiting</c>: a flow warming up, not an error) or a Bad one (its error is named).
    /// </summary>
    public (Dictionary<string, double[]>? Inputs, string? Why, bool Waiting) ModelInputs()
    {
        var model = flow.Model ?? throw new InvalidOperationException("The flow has no model step.");
        var inputs = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var input in model.Inputs)
        {
            var data = new List<double>();
            foreach (var name in input.Values)
            {
                switch (latest.GetValueOrDefault(name))
                {
                    case null:
                        return (null, $"'{name}' has no value yet", true);
                    case { Good: false } bad:
                        return (null, $"'{name}' is Bad: {bad.Error}", false);
                    case var sample:
                        data.AddRange(sample.Values);
                        break;
                }
            }

            inputs[input.Tensor] = [.. data];
        }

        return (inputs, null, false);
    }

    private FlowSample? Transform(FlowTransform t, FlowSample input)
    {
        if (!input.Good)
        {
            return input with { Error = $"'{t.Input}' is Bad: {input.Error}" };
        }

        var x = input.Value;
        switch (t.Kind)
        {
            case FlowTransformKind.Scale:
                return input with { Values = [(x * (t.Factor ?? 1)) + (t.Offset ?? 0)] };
            case FlowTransformKind.Clamp:
                return input with { Values = [Math.Min(t.Max ?? double.PositiveInfinity, Math.Max(t.Min ?? double.NegativeInfinity, x))] };
            case FlowTransformKind.MovingAverage:
                var recent = Window(t, x);
                return input with { Values = [recent.Average()] };
            case FlowTransformKind.Window:
                var window = Window(t, x);
                // A window is only whole once it holds Size samples: before that there is nothing to send or feed.
                return window.Count < (t.Size ?? 1) ? null : input with { Values = [.. window] };
            default:
                return null;
        }
    }

    private Queue<double> Window(FlowTransform t, double x)
    {
        if (!windows.TryGetValue(t.Name, out var queue))
        {
            windows[t.Name] = queue = new Queue<double>(t.Size ?? 1);
        }

        queue.Enqueue(x);
        while (queue.Count > Math.Max(1, t.Size ?? 1))
        {
            queue.Dequeue();
        }

        return queue;
    }
}

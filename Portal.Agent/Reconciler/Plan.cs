using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Reconciler;

/// <summary>The commands that take the engine from what runs to what is desired, in order.</summary>
public sealed record Plan(IReadOnlyList<IPlanCommand> Commands)
{
    public bool IsEmpty => Commands.Count == 0;

    public IEnumerable<string> Show() => Commands.Select(c => c.Show());
}

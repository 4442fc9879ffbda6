using Portal.Agent.Reconciler.Commands;

namespace Portal.Agent.Reconciler;

/// <summary>The commands that take one kind of workload from what runs to what is desired, in order.</summary>
public sealed record Plan<TContext>(IReadOnlyList<IPlanCommand<TContext>> Commands)
{
    public bool IsEmpty => Commands.Count == 0;

    public IEnumerable<string> Show() => Commands.Select(c => c.Show());
}

namespace Portal.Agent.Reconciler.Commands;

/// <summary>The stack is gone: its own network goes with its last container.</summary>
public sealed class RemoveStackNetworkCommand(string stack) : IPlanCommand<ContainerCommandContext>
{
    public string Workload => stack;

    public Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken) =>
        context.Runtime.RemoveStackNetworkAsync(stack, cancellationToken);

    public string Show() => $"docker network rm (stack {stack})";
}

namespace Portal.Agent.Reconciler.Commands;

public sealed class StopContainerCommand(string workload, string container) : IPlanCommand<CommandContext>
{
    public string Workload => workload;

    public Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => context.Runtime.StopAsync(container, cancellationToken);

    public string Show() => $"docker stop {container}";
}

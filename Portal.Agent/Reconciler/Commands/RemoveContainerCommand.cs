namespace Portal.Agent.Reconciler.Commands;

public sealed class RemoveContainerCommand(string workload, string container) : IPlanCommand<CommandContext>
{
    public string Workload => workload;

    public Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => context.Runtime.RemoveAsync(container, cancellationToken);

    public string Show() => $"docker rm {container}";
}

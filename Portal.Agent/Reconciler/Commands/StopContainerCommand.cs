namespace Portal.Agent.Reconciler.Commands;

public sealed class StopContainerCommand(string workload, string container) : IPlanCommand<ContainerCommandContext>
{
    public string Workload => workload;

    public Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken) => context.Runtime.StopAsync(container, cancellationToken);

    public string Show() => $"docker stop {container}";
}

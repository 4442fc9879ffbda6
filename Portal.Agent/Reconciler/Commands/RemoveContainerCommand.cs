namespace Portal.Agent.Reconciler.Commands;

public sealed class RemoveContainerCommand(string workload, string container) : IPlanCommand<ContainerCommandContext>
{
    public string Workload => workload;

    public Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken) => context.Runtime.RemoveAsync(container, cancellationToken);

    public string Show() => $"docker rm {container}";
}

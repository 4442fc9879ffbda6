using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler.Commands;

/// <summary>Starts a container by name or id: one just created, or one that died.</summary>
public sealed class StartContainerCommand(string workload, string container) : IPlanCommand<ContainerCommandContext>
{
    public string Workload => workload;

    public Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken)
    {
        context.Progress(workload, WorkloadState.Starting, null);
        return context.Runtime.StartAsync(container, cancellationToken);
    }

    public string Show() => $"docker start {container}";
}

using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler.Commands;

public sealed class CreateContainerCommand(WorkloadSpec spec, string containerName) : IPlanCommand<ContainerCommandContext>
{
    public string Workload => spec.Name;

    public async Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken)
    {
        context.Progress(spec.Name, WorkloadState.Starting, null);
        await context.Runtime.CreateAsync(spec, context.Revision, cancellationToken);
    }

    public string Show() => $"docker create --name {containerName} {spec.Image}";
}

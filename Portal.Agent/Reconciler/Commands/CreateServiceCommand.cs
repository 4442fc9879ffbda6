using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler.Commands;

/// <summary>Creates one service's container of a stack; the stack is the workload, so a failure stops the rest of it.</summary>
public sealed class CreateServiceCommand(StackSpec stack, StackService service, string containerName) : IPlanCommand<ContainerCommandContext>
{
    public string Workload => stack.Name;

    public async Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken)
    {
        context.Progress(stack.Name, WorkloadState.Starting, null);
        await context.Runtime.CreateServiceAsync(stack, service, context.Revision, cancellationToken);
    }

    public string Show() => $"docker create --name {containerName} {service.Container.Image}";
}

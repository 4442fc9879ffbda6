using Portal.Agent.Docker;
using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Pure, the stack driver's planner: for each desired stack, its services in dependency order; a service is
/// (re)created only when no container of it carries its own spec hash, and is started only once the services it
/// waits for as <c>service_healthy</c> are healthy as listed (<see cref="StackGates"/>): until then it is left for a
/// later pass, never waited for inside the plan. Services no longer in a stack, and stacks no longer desired, go.
/// Only containers labelled with a stack are looked at.
/// </summary>
public sealed class StackPlanner(string deviceId)
{
    public Plan<ContainerCommandContext> Create(DesiredState desired, IReadOnlyList<ContainerInfo> current)
    {
        var commands = new List<IPlanCommand<ContainerCommandContext>>();
        var stacks = desired.Stacks();
        var owned = current.Where(c => c.Stack is not null).ToList();
        foreach (var stack in stacks)
        {
            var mine = owned.Where(c => c.Stack == stack.Name).ToList();
            foreach (var service in InDependencyOrder(stack))
            {
                Plan(stack, service, [.. mine.Where(c => c.Service == service.ServiceName)], mine, commands);
            }

            var wanted = stack.Services.Select(s => s.ServiceName).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in mine.Where(c => !wanted.Contains(c.Service ?? "")))
            {
                commands.Add(new StopContainerCommand(stack.Name, gone.Id));
                commands.Add(new RemoveContainerCommand(stack.Name, gone.Id));
            }
        }

        var desiredNames = stacks.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in owned.Where(c => !desiredNames.Contains(c.Stack!)).GroupBy(c => c.Stack!, StringComparer.Ordinal))
        {
            foreach (var container in gone)
            {
                commands.Add(new StopContainerCommand(gone.Key, container.Id));
                commands.Add(new RemoveContainerCommand(gone.Key, container.Id));
            }

            commands.Add(new RemoveStackNetworkCommand(gone.Key));
        }

        return new Plan<ContainerCommandContext>(commands);
    }

    /// <summary>Dependencies first; the portal refuses cycles, and a cycle that arrives anyway is broken where it closes.</summary>
    public static IReadOnlyList<StackService> InDependencyOrder(StackSpec stack)
    {
        var byName = stack.Services.ToDictionary(s => s.ServiceName, StringComparer.Ordinal);
        var ordered = new List<StackService>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Visit(StackService service)
        {
            if (!seen.Add(service.ServiceName))
            {
                return;
            }

            foreach (var dependency in service.DependsOn ?? [])
            {
                if (byName.TryGetValue(dependency.Service, out var next))
                {
                    Visit(next);
                }
            }

            ordered.Add(service);
        }

        foreach (var service in stack.Services)
        {
            Visit(service);
        }

        return ordered;
    }

    private void Plan(StackSpec stack, StackService service, List<ContainerInfo> containers, IReadOnlyList<ContainerInfo> current, List<IPlanCommand<ContainerCommandContext>> commands)
    {
        var keep = containers.FirstOrDefault(c => c.SpecHash == service.Container.SpecHash);
        var gate = StackGates.For(stack, service, current);
        if (keep is null)
        {
            // Pull first, so the old container keeps serving while the new image downloads.
            commands.Add(new PullImageCommand(stack.Name, service.Container.Image, service.Container.Registry));
            if (gate is not null)
            {
                // The new one cannot start before its dependency is healthy: the old one keeps serving until then.
                return;
            }
        }

        foreach (var stale in containers.Where(c => c != keep))
        {
            commands.Add(new StopContainerCommand(stack.Name, stale.Id));
            commands.Add(new RemoveContainerCommand(stack.Name, stale.Id));
        }

        if (keep is { Running: true } or { Restarting: true })
        {
            return;
        }

        if (gate is not null)
        {
            // Not now: the status says what it waits for, and the driver looks again soon.
            return;
        }

        var name = WorkloadLabels.ContainerName(deviceId, WorkloadLabels.ServiceWorkload(stack.Name, service.ServiceName));
        if (keep is null)
        {
            commands.Add(new CreateServiceCommand(stack, service, name));
            commands.Add(new StartContainerCommand(stack.Name, name));
        }
        else
        {
            // It died, or someone stopped it by hand: desired means running.
            commands.Add(new StartContainerCommand(stack.Name, keep.Id));
        }
    }
}

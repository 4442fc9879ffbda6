using Portal.Agent.Docker;
using Portal.Agent.Reconciler.Commands;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Pure, the container driver's planner: compares the desired state with the containers this agent owns and returns the commands that close the gap.
/// A container is identified by its workload label and judged by its spec-hash label, so a new revision that leaves a
/// workload's spec alone never recreates it.
/// </summary>
public sealed class ContainerPlanner(string deviceId)
{
    public Plan<ContainerCommandContext> Create(DesiredState desired, IReadOnlyList<ContainerInfo> current)
    {
        var commands = new List<IPlanCommand<ContainerCommandContext>>();
        // A stack's containers belong to the stack driver; this planner neither keeps nor removes them.
        current = [.. current.Where(c => c.Stack is null)];
        var byWorkload = current.GroupBy(c => c.Workload, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var specs = desired.Containers();
        var wanted = specs.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var spec in specs)
        {
            var containers = byWorkload.GetValueOrDefault(spec.Name) ?? [];
            var keep = containers.FirstOrDefault(c => c.SpecHash == spec.SpecHash);
            foreach (var stale in containers.Where(c => c != keep))
            {
                // Pull first, so the old container keeps serving while the new image downloads.
                if (keep is null && !commands.OfType<PullImageCommand>().Any(p => p.Workload == spec.Name))
                {
                    commands.Add(new PullImageCommand(spec.Name, spec.Image, spec.Registry));
                }

                commands.Add(new StopContainerCommand(spec.Name, stale.Id));
                commands.Add(new RemoveContainerCommand(spec.Name, stale.Id));
            }

            if (keep is null)
            {
                var name = WorkloadLabels.ContainerName(deviceId, spec.Name);
                if (!commands.OfType<PullImageCommand>().Any(p => p.Workload == spec.Name))
                {
                    commands.Add(new PullImageCommand(spec.Name, spec.Image, spec.Registry));
                }

                commands.Add(new CreateContainerCommand(spec, name));
                commands.Add(new StartContainerCommand(spec.Name, name));
            }
            else if (!keep.Running && !keep.Restarting)
            {
                // It died, or someone stopped it by hand: desired means running.
                commands.Add(new StartContainerCommand(spec.Name, keep.Id));
            }
        }

        foreach (var gone in current.Where(c => !wanted.Contains(c.Workload)))
        {
            commands.Add(new StopContainerCommand(gone.Workload, gone.Id));
            commands.Add(new RemoveContainerCommand(gone.Workload, gone.Id));
        }

        return new Plan<ContainerCommandContext>(commands);
    }
}

using Portal.Agent.Docker;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// Pure: whether a stack's service may be started now, judged from the containers as listed. Compose's
/// <c>condition: service_healthy</c> is a gate, not a wait: a service whose dependency is not healthy yet is simply
/// not started in this pass and the driver looks again soon, so one slow healthcheck never holds the agent's reconcile
/// loop (other stacks, containers and desired-state changes go on). Only the dependency's container with its current
/// spec hash counts: the old container of a dependency being recreated is not "healthy" for the new one.
/// </summary>
public static class StackGates
{
    /// <param name="Reason">What the service waits for, or why it cannot start.</param>
    /// <param name="Failed">True when waiting cannot help (the dependency is unhealthy or has no healthcheck).</param>
    public sealed record Gate(string Reason, bool Failed);

    /// <summary>Null when every <c>service_healthy</c> dependency is healthy; otherwise the first one that is not.</summary>
    public static Gate? For(StackSpec stack, StackService service, IReadOnlyList<ContainerInfo> current)
    {
        foreach (var dependency in (service.DependsOn ?? []).Where(d => d.Condition == DependencyCondition.ServiceHealthy))
        {
            var wanted = stack.Services.FirstOrDefault(s => s.ServiceName == dependency.Service);
            var container = wanted is null
                ? null
                : current.FirstOrDefault(c => c.Stack == stack.Name && c.Service == dependency.Service && c.SpecHash == wanted.Container.SpecHash);
            var gate = container switch
            {
                { Health: "healthy", Running: true } => null,
                null => new Gate($"Waits for '{dependency.Service}' to be created and healthy", false),
                { Health: "unhealthy" } => new Gate($"'{dependency.Service}' is unhealthy, so '{service.ServiceName}' was not started", true),
                { Running: false, Restarting: false } => new Gate($"Waits for '{dependency.Service}', which does not run", false),
                { Health: null, Running: true } => new Gate($"'{dependency.Service}' has no healthcheck to wait for", true),
                _ => new Gate($"Waits for '{dependency.Service}' to be healthy", false),
            };
            if (gate is not null)
            {
                return gate;
            }
        }

        return null;
    }
}

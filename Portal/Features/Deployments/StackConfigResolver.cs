using Portal.Features.Compose;
using Portal.Features.FleetConfig;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: one device's copy of a stack, each service resolved as a single container is (<see cref="WorkloadConfigResolver"/>),
/// its entrypoint included. Only the services whose inputs changed get a new hash, so a config change recreates only
/// them; the stack's hash is then made again from its services'.
/// </summary>
public static class StackConfigResolver
{
    public static StackSpec Resolve(StackSpec stack, DeviceConfig config, Func<string, string> protect)
    {
        var changed = false;
        var services = new List<StackService>(stack.Services.Count);
        foreach (var service in stack.Services)
        {
            var (container, entrypoint) = WorkloadConfigResolver.Resolve(service.Container, service.Entrypoint ?? [], config, protect);
            if (ReferenceEquals(container, service.Container))
            {
                services.Add(service);
                continue;
            }

            changed = true;
            services.Add(service with { Container = container, Entrypoint = service.Entrypoint is null ? null : entrypoint });
        }

        return changed ? stack with { Services = services, SpecHash = StackSpecBuilder.StackHash(services) } : stack;
    }
}

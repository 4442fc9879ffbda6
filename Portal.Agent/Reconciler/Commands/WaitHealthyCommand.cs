using Portal.Agent.Docker;

namespace Portal.Agent.Reconciler.Commands;

/// <summary>
/// Waits until a stack's service is healthy by its engine healthcheck (Compose's <c>condition: service_healthy</c>).
/// Unhealthy, or not healthy within <see cref="Limit"/>, fails the stack with the reason; the next reconcile tries again.
/// </summary>
public sealed class WaitHealthyCommand(string stack, string service) : IPlanCommand<ContainerCommandContext>
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public string Workload => stack;

    public async Task ExecuteAsync(ContainerCommandContext context, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + Limit;
        while (true)
        {
            var container = (await context.Runtime.ListAsync(cancellationToken)).FirstOrDefault(c => c.Stack == stack && c.Service == service);
            switch (container)
            {
                case { Health: "healthy", Running: true }:
                    return;
                case { Health: "unhealthy" }:
                    throw new ContainerRuntimeException($"Service '{service}' is unhealthy; the services that wait for it were not started.") { Retryable = false };
                case null or { Running: false, Restarting: false }:
                    throw new ContainerRuntimeException($"Service '{service}' does not run; the services that wait for it were not started.") { Retryable = false };
                case { Health: null }:
                    throw new ContainerRuntimeException($"Service '{service}' has no healthcheck to wait for.") { Retryable = false };
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new ContainerRuntimeException($"Service '{service}' was not healthy within {Limit.TotalMinutes:0} minutes.") { Retryable = false };
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    public string Show() => $"wait for {stack}/{service} healthy";
}

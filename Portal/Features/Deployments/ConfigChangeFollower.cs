using Portal.Common;
using Portal.Features.FleetConfig;

namespace Portal.Features.Deployments;

/// <summary>
/// A config or secret change at any level wakes the rollout loop, which recomputes every desired state: the devices
/// whose resolved specs changed get a new revision, and only the containers whose inputs changed are recreated.
/// </summary>
public sealed class ConfigChangeFollower(Notifier<ConfigChanged> changes, RolloutSignal signal) : IHostedService, IDisposable
{
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = changes.Subscribe(_ =>
        {
            signal.Wake();
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => subscription?.Dispose();
}

using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Enrollment;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// The one reconcile loop, run for each <see cref="IWorkloadDriver"/> on its own so a long model download never holds up
/// the containers: reads the desired state, lets the driver plan and run, and reports the driver's statuses through the
/// <see cref="WorkloadReporter"/>. Reconciles when told (new desired state, re-sync, restart) and on a fixed interval,
/// connected or not. An unknown desired state (damaged on disk) leaves what runs as it is until the portal speaks.
/// </summary>
public sealed partial class WorkloadReconciler(
    IOptions<AgentOptions> options,
    IEnumerable<IWorkloadDriver> drivers,
    WorkloadReporter reporter,
    TimeProvider clock,
    ILogger<WorkloadReconciler> logger)
{
    private readonly IReadOnlyList<(IWorkloadDriver Driver, WakeSignal Wake)> loops = [.. drivers.Select(d => (d, new WakeSignal()))];

    public DesiredStateStore Store { get; } = new(options.Value.DataDirectory, logger);

    public Task RunAsync(AgentCredentials credentials, CancellationToken stoppingToken) =>
        Task.WhenAll(loops.Select(l => LoopAsync(l.Driver, l.Wake, credentials, stoppingToken)));

    /// <summary>Stores a newer desired state and reconciles towards it; an older or equal revision changes nothing.</summary>
    public void Apply(DesiredState state)
    {
        if (Store.TryUpdate(state))
        {
            LogNewRevision(logger, state.Revision, state.Containers().Count, state.ModelSpecs().Count);
            Wake();
        }
    }

    public void Wake()
    {
        foreach (var (_, wake) in loops)
        {
            wake.Set();
        }
    }

    private async Task LoopAsync(IWorkloadDriver driver, WakeSignal wake, AgentCredentials credentials, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds);
        driver.Start(credentials);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (Store.Current is { } desired)
                    {
                        var report = await driver.ReconcileAsync(desired, stoppingToken);
                        await reporter.ReportAsync(driver.Kind, desired.Revision, report.Statuses, report.OnlyWhenChanged);
                        if (report.LookAgainIn is { } soon)
                        {
                            _ = Task.Delay(soon, clock, stoppingToken).ContinueWith(_ => wake.Set(), TaskScheduler.Default);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReconcileFailed(logger, driver.Kind, ex);
                }

                await wake.WaitAsync(interval, stoppingToken);
            }
        }
        finally
        {
            await driver.StopAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Desired state revision {Revision} received: {Count} containers, {Models} models")]
    private static partial void LogNewRevision(ILogger logger, long revision, int count, int models);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling {Kind} workloads failed; trying again at the next interval")]
    private static partial void LogReconcileFailed(ILogger logger, WorkloadKind kind, Exception exception);
}

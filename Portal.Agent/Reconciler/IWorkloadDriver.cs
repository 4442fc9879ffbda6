using Portal.Agent.Enrollment;
using Portal.Shared.Workloads;

namespace Portal.Agent.Reconciler;

/// <summary>
/// One kind of workload (containers, models) for the <see cref="WorkloadReconciler"/>: each reconcile the driver reads
/// what runs of its kind, lets its pure planner make commands, runs them through a <see cref="PlanRunner{TContext}"/>,
/// and says how each of its workloads stands.
/// </summary>
public interface IWorkloadDriver
{
    WorkloadKind Kind { get; }

    /// <summary>Once, before the first reconcile, with the enrolled device.</summary>
    void Start(AgentCredentials credentials);

    /// <summary>Brings this kind's workloads towards <paramref name="desired"/>.</summary>
    Task<DriverReport> ReconcileAsync(DesiredState desired, CancellationToken ct);

    /// <summary>The agent stops: release what the driver holds (engine client, loaded models).</summary>
    ValueTask StopAsync();
}

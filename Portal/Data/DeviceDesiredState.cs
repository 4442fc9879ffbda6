using Portal.Shared.Workloads;

namespace Portal.Data;

/// <summary>
/// What a device should run (computed from the deployments) and the last report of what it does run. The desired
/// workloads are stored a column per kind; <see cref="Items"/> reads them as the one list the device is sent.
/// </summary>
public sealed class DeviceDesiredState
{
    public required string DeviceId { get; set; }

    public long Revision { get; set; }

    public List<WorkloadSpec> Workloads { get; set; } = [];

    public List<ModelWorkloadSpec> Models { get; set; } = [];

    public List<StackSpec> Stacks { get; set; } = [];

    public List<DataFlowWorkloadSpec> DataFlows { get; set; } = [];

    public List<AgentReleaseWorkloadSpec> AgentReleases { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }

    public long ReportedRevision { get; set; }

    public List<WorkloadStatus> Reported { get; set; } = [];

    public DateTimeOffset? ReportedAt { get; set; }

    /// <summary>Every workload the device should run; stored as one column per kind.</summary>
    public IReadOnlyList<DesiredWorkload> Items() =>
        [.. new DesiredState(Revision, null, Workloads, Models).All(), .. Stacks.Select(DesiredWorkload.Of), .. DataFlows.Select(DesiredWorkload.Of),
            .. AgentReleases.Select(DesiredWorkload.Of)];

    public void SetItems(IReadOnlyList<DesiredWorkload> items)
    {
        var state = new DesiredState(Revision, items);
        Workloads = [.. state.Containers()];
        Models = [.. state.ModelSpecs()];
        Stacks = [.. state.Stacks()];
        DataFlows = [.. state.DataFlows()];
        AgentReleases = [.. state.AgentReleases()];
    }

    /// <summary>The desired state as stored (secret values still encrypted).</summary>
    public DesiredState State() => new(Revision, Items());
}

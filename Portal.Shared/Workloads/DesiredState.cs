namespace Portal.Shared.Workloads;

/// <summary>
/// Everything a device should run: a revision and one list of workloads of every kind. The portal bumps
/// <see cref="Revision"/> whenever the list changes and pushes it; the agent keeps the newest revision it has seen on
/// disk and reconciles towards it, online or not.
/// </summary>
/// <param name="Items">The workloads, each with its kind's spec.</param>
/// <param name="Workloads">
/// The shape agents before 0.3.0 read: their containers. The portal fills it (and <paramref name="Models"/>) only for
/// such agents, beside <paramref name="Items"/>, which they ignore; agents from 0.3.0 read <paramref name="Items"/>,
/// and fall back to these two only for a state in the old shape (a file an older agent wrote, an older portal).
/// </param>
/// <param name="Models">The models, for agents before 0.3.0.</param>
public sealed record DesiredState(
    long Revision,
    IReadOnlyList<DesiredWorkload>? Items,
    IReadOnlyList<WorkloadSpec>? Workloads = null,
    IReadOnlyList<ModelWorkloadSpec>? Models = null)
{
    public static DesiredState Empty { get; } = new(0, []);

    /// <summary>A state of containers and models, in the current shape.</summary>
    public static DesiredState Of(long revision, IEnumerable<WorkloadSpec> containers, IEnumerable<ModelWorkloadSpec>? models = null) =>
        new(revision, [.. containers.Select(DesiredWorkload.Of), .. (models ?? []).Select(DesiredWorkload.Of)]);

    /// <summary>Every workload, whichever shape the sender used.</summary>
    public IReadOnlyList<DesiredWorkload> All() =>
        Items ?? [.. (Workloads ?? []).Select(DesiredWorkload.Of), .. (Models ?? []).Select(DesiredWorkload.Of)];

    /// <summary>The containers to run.</summary>
    public IReadOnlyList<WorkloadSpec> Containers() =>
        [.. All().Where(w => w.Kind == WorkloadKind.Container && w.Container is not null).Select(w => w.Container!)];

    /// <summary>The stacks to run.</summary>
    public IReadOnlyList<StackSpec> Stacks() =>
        [.. All().Where(w => w.Kind == WorkloadKind.Stack && w.Stack is not null).Select(w => w.Stack!)];

    /// <summary>The data flows to run.</summary>
    public IReadOnlyList<DataFlowWorkloadSpec> DataFlows() =>
        [.. All().Where(w => w.Kind == WorkloadKind.DataFlow && w.Flow is not null).Select(w => w.Flow!)];

    /// <summary>The agent release the device should run (at most one: the newest deployment released to it).</summary>
    public IReadOnlyList<AgentReleaseWorkloadSpec> AgentReleases() =>
        [.. All().Where(w => w.Kind == WorkloadKind.AgentRelease && w.Release is not null).Select(w => w.Release!)];

    /// <summary>The models to serve.</summary>
    public IReadOnlyList<ModelWorkloadSpec> ModelSpecs() =>
        [.. All().Where(w => w.Kind == WorkloadKind.Model && w.Model is not null).Select(w => w.Model!)];

    /// <summary>
    /// Says what to run in either shape, every workload whole: a state with neither list (a damaged file, a hostile
    /// sender) is unreadable, never an empty list that would remove everything.
    /// </summary>
    public bool IsWhole() => (Items is not null || Workloads is not null) && All().All(w => w is not null && w.IsWhole());

    /// <summary>The same state, also in the shape agents before 0.3.0 read.</summary>
    public DesiredState WithOldShape() => this with { Items = All(), Workloads = Containers(), Models = ModelSpecs() };

    /// <summary>The same state in the current shape only.</summary>
    public DesiredState WithoutOldShape() => new(Revision, All());
}

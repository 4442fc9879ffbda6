namespace Portal.Shared.Workloads;

/// <summary>
/// Everything a device should run: containers and models. The portal bumps <see cref="Revision"/> whenever the list changes and pushes it;
/// the agent keeps the newest revision it has seen on disk and reconciles towards it, online or not.
/// </summary>
public sealed record DesiredState(long Revision, IReadOnlyList<WorkloadSpec> Workloads, IReadOnlyList<ModelWorkloadSpec>? Models = null)
{
    public static DesiredState Empty { get; } = new(0, [], []);

    /// <summary>The models to serve; never null (a state stored before models existed has none).</summary>
    public IReadOnlyList<ModelWorkloadSpec> ModelWorkloads() => Models ?? [];
}

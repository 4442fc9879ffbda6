namespace Portal.Shared.Workloads;

/// <summary>
/// Everything a device should run. The portal bumps <see cref="Revision"/> whenever the list changes and pushes it;
/// the agent keeps the newest revision it has seen on disk and reconciles towards it, online or not.
/// </summary>
public sealed record DesiredState(long Revision, IReadOnlyList<WorkloadSpec> Workloads)
{
    public static DesiredState Empty { get; } = new(0, []);
}

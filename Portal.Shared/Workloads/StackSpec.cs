namespace Portal.Shared.Workloads;

/// <summary>
/// A Compose app on a device: one workload of several services, fully resolved by the portal. <see cref="SpecHash"/>
/// changes when any service changes; each service keeps its own hash, so the agent recreates only the services whose
/// hash changed.
/// </summary>
public sealed record StackSpec(
    string Name,
    string DeploymentId,
    IReadOnlyList<StackService> Services,
    string SpecHash)
{
    /// <summary>Every service is whole, names are unique, and every dependency names a service of this stack.</summary>
    public bool IsWhole()
    {
        if (Services is null || Services.Any(s => s?.Container is null))
        {
            return false;
        }

        var names = Services.Select(s => s.ServiceName).ToHashSet(StringComparer.Ordinal);
        return names.Count == Services.Count
            && Services.All(s => (s.DependsOn ?? []).All(d => names.Contains(d.Service)));
    }
}

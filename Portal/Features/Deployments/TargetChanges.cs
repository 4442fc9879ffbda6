namespace Portal.Features.Deployments;

/// <summary>
/// Pure: how a change of targets (and of what is deployed) lands on devices. Receive: newly targeted. Update: still
/// targeted, and what they run changes. Unchanged: still targeted, same workload. Lose: no longer targeted.
/// </summary>
public sealed record TargetChanges(IReadOnlyList<string> Receive, IReadOnlyList<string> Update, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Lose)
{
    public static TargetChanges Between(IEnumerable<string> now, IEnumerable<string> next, bool workloadChanged)
    {
        var before = now.ToHashSet(StringComparer.Ordinal);
        var after = next.ToHashSet(StringComparer.Ordinal);
        var staying = before.Where(after.Contains).Order(StringComparer.Ordinal).ToList();
        return new TargetChanges(
            after.Where(id => !before.Contains(id)).Order(StringComparer.Ordinal).ToList(),
            workloadChanged ? staying : [],
            workloadChanged ? [] : staying,
            before.Where(id => !after.Contains(id)).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The devices a deployment's groups and devices reach: active named devices and every member of its groups.</summary>
    public static HashSet<string> Resolve(IEnumerable<string> groupIds, IEnumerable<string> deviceIds,
        IReadOnlyDictionary<string, List<string>> memberships, IReadOnlySet<string> active) =>
        deviceIds.Where(active.Contains)
            .Concat(groupIds.SelectMany(g => memberships.GetValueOrDefault(g) ?? []))
            .ToHashSet(StringComparer.Ordinal);
}

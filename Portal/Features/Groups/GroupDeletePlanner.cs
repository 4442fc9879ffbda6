using Portal.Shared.Devices;

namespace Portal.Features.Groups;

/// <summary>
/// Pure: what deleting a group takes away. A device loses a deployment's workload when it holds it now (released, not
/// rolled back or superseded) and the deployment reaches it only through the deleted group, not by its id or another group.
/// </summary>
public static class GroupDeletePlanner
{
    /// <summary>A deployment as the planner needs it; <see cref="Holding"/> are the devices that run (or are getting) its workload now.</summary>
    public sealed record Deployed(string Id, string Name, string Workload, IReadOnlyList<string> GroupIds, IReadOnlyList<string> DeviceIds, IReadOnlyList<string> Holding);

    public static GroupDeletePreview Preview(
        string groupId, string groupName, IEnumerable<Deployed> deployments,
        IReadOnlyDictionary<string, IReadOnlyList<string>> members, IReadOnlyDictionary<string, string> deviceNames)
    {
        var impacts = new List<GroupDeleteImpact>();
        foreach (var d in deployments.Where(d => d.GroupIds.Contains(groupId, StringComparer.Ordinal)).OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase))
        {
            var stillReached = d.DeviceIds
                .Concat(d.GroupIds.Where(g => g != groupId).SelectMany(g => members.GetValueOrDefault(g) ?? []))
                .ToHashSet(StringComparer.Ordinal);
            var inGroup = (members.GetValueOrDefault(groupId) ?? []).ToHashSet(StringComparer.Ordinal);
            var losing = d.Holding.Where(id => inGroup.Contains(id) && !stillReached.Contains(id))
                .Select(id => deviceNames.GetValueOrDefault(id, id))
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToList();
            impacts.Add(new GroupDeleteImpact(d.Id, d.Name, d.Workload, losing));
        }

        return new GroupDeletePreview(groupId, groupName, impacts, Summarize(groupName, impacts));
    }

    /// <summary>"Deleting 'line-3' removes web 1.2 from press-7, press-8." (or says that no device loses anything).</summary>
    public static string Summarize(string groupName, IReadOnlyList<GroupDeleteImpact> impacts)
    {
        if (impacts.Count == 0)
        {
            return $"No deployment targets '{groupName}'. Deleting it removes nothing from any device; its devices stay.";
        }

        var removals = impacts.Where(i => i.DevicesLosingIt.Count > 0).Select(i => $"{i.Workload} from {Devices(i.DevicesLosingIt)}").ToList();
        var targeted = $"'{groupName}' is targeted by {impacts.Count} deployment{(impacts.Count == 1 ? "" : "s")}: {string.Join(", ", impacts.Select(i => i.DeploymentName))}.";
        return removals.Count == 0
            ? $"{targeted} Deleting it removes no workload from any device (each device still gets them another way); the deployments stop targeting it."
            : $"{targeted} Deleting it removes {string.Join("; ", removals)}.";
    }

    /// <summary>What one deployment loses, for its event and the audit detail.</summary>
    public static string Lost(GroupDeleteImpact impact) =>
        impact.DevicesLosingIt.Count == 0 ? "no device lost its workload" : $"{impact.Workload} removed from {Devices(impact.DevicesLosingIt)}";

    private static string Devices(IReadOnlyList<string> names) =>
        names.Count <= 10 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(10))} and {names.Count - 10} more";
}

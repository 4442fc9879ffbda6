using Portal.Data;

namespace Portal.Features.Deployments;

/// <summary>Pure: an update in words, for the preview, the deployment's events and the audit log.</summary>
internal static class UpdateDescriptions
{
    /// <summary>What changes, one phrase each: the workload's changes, then targets and strategy.</summary>
    public static List<string> Changes(Deployment d, DeploymentSnapshot next, IReadOnlyList<string> workload,
        IReadOnlyDictionary<string, string> groupNames, IReadOnlyDictionary<string, string> deviceNames)
    {
        var changes = workload.ToList();
        AddTargets(changes, "group", d.GroupIds, next.GroupIds, id => groupNames.GetValueOrDefault(id, id));
        AddTargets(changes, "device", d.DeviceIds, next.DeviceIds, id => deviceNames.GetValueOrDefault(id, id));
        if (next.Strategy != d.Strategy)
        {
            changes.Add($"strategy: {StateColors.Describe(next.Strategy)}");
        }

        return changes;
    }

    public static string Summary(DeploymentUpdatePlan plan, IReadOnlyDictionary<string, string> names)
    {
        if (plan.ChangesNothing)
        {
            return "Nothing changes.";
        }

        var parts = new List<string>();
        if (plan.Devices.Receive.Count > 0)
        {
            parts.Add($"{Devices(plan.Devices.Receive, names)} will receive it");
        }

        if (plan.Devices.Update.Count > 0)
        {
            parts.Add($"{Devices(plan.Devices.Update, names)} will be updated");
        }

        if (plan.Devices.Lose.Count > 0)
        {
            parts.Add($"{Devices(plan.Devices.Lose, names)} will LOSE it");
        }

        return parts.Count == 0 ? "No device runs anything new: the change applies to devices that join later." : string.Join("; ", parts) + ".";
    }

    /// <summary>"2 devices (cam-1, cam-2)", names in order; at most ten named.</summary>
    public static string Devices(IReadOnlyList<string> ids, IReadOnlyDictionary<string, string> names)
    {
        var named = ids.Select(id => names.GetValueOrDefault(id, id)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var list = string.Join(", ", named.Take(10)) + (named.Count > 10 ? $" and {named.Count - 10} more" : "");
        return $"{(ids.Count == 1 ? "1 device" : $"{ids.Count} devices")} ({list})";
    }

    private static void AddTargets(List<string> changes, string kind, IReadOnlyList<string> before, IReadOnlyList<string> after, Func<string, string> name)
    {
        var added = after.Except(before).Select(name).ToList();
        var removed = before.Except(after).Select(name).ToList();
        if (added.Count > 0)
        {
            changes.Add($"{kind}s added: {string.Join(", ", added)}");
        }

        if (removed.Count > 0)
        {
            changes.Add($"{kind}s removed: {string.Join(", ", removed)}");
        }
    }
}

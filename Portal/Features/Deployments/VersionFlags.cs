using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: which versions of an app or model failed a rollout or were rolled back, with a short reason each, so pages
/// can flag them and deploy dialogs do not offer them first.
/// </summary>
public static class VersionFlags
{
    /// <param name="RolledBackVersion">The version of a revision of this deployment that was rolled back, if any.</param>
    public sealed record Entry(string DeploymentName, string Version, DeploymentState State, string? RolledBackVersion);

    /// <summary>Version → why it is flagged (the first reason found, newest deployment first as given).</summary>
    public static IReadOnlyDictionary<string, string> Of(IEnumerable<Entry> deployments)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            if (d.State == DeploymentState.Failed)
            {
                flags.TryAdd(d.Version, $"Failed a rollout ({d.DeploymentName})");
            }
            else if (d.State == DeploymentState.RolledBack)
            {
                flags.TryAdd(d.Version, $"Rolled back ({d.DeploymentName})");
            }

            if (d.RolledBackVersion is { } back)
            {
                flags.TryAdd(back, $"Rolled back ({d.DeploymentName})");
            }
        }

        return flags;
    }

    /// <summary>The version a deploy dialog offers first: the newest not flagged, or the newest when every one is.</summary>
    public static string? Preselect(IReadOnlyList<string> versionsOldestFirst, IReadOnlyDictionary<string, string> flags) =>
        versionsOldestFirst.LastOrDefault(v => !flags.ContainsKey(v)) ?? (versionsOldestFirst.Count == 0 ? null : versionsOldestFirst[^1]);
}

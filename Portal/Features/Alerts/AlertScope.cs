using Portal.Data;

namespace Portal.Features.Alerts;

/// <summary>
/// Which devices a rule or a silence covers, read once per pass: a device is in scope when the rule names it, names one
/// of its groups, or names neither (the whole fleet).
/// </summary>
public sealed class AlertScope(IReadOnlyDictionary<string, IReadOnlyList<string>> groupsOfDevice, IReadOnlyList<AlertSilence> silences, DateTimeOffset now)
{
    public DateTimeOffset Now => now;

    public bool Covers(AlertRule rule, string deviceId) =>
        (rule.GroupIds.Count == 0 && rule.DeviceIds.Count == 0)
        || rule.DeviceIds.Contains(deviceId, StringComparer.Ordinal)
        || (rule.GroupIds.Count > 0 && GroupsOf(deviceId).Any(g => rule.GroupIds.Contains(g, StringComparer.Ordinal)));

    /// <summary>Whether a silence active now covers an alert of <paramref name="ruleId"/> on <paramref name="deviceId"/> (null: not about a device).</summary>
    public bool Silenced(string ruleId, string? deviceId) => silences.Any(s => s.StartsAt <= now && now < s.EndsAt
        && (s.RuleIds.Count == 0 || s.RuleIds.Contains(ruleId, StringComparer.Ordinal))
        && (s.DeviceIds.Count == 0 || (deviceId is not null && s.DeviceIds.Contains(deviceId, StringComparer.Ordinal)))
        && (s.GroupIds.Count == 0 || (deviceId is not null && GroupsOf(deviceId).Any(g => s.GroupIds.Contains(g, StringComparer.Ordinal)))));

    private IReadOnlyList<string> GroupsOf(string deviceId) => groupsOfDevice.TryGetValue(deviceId, out var groups) ? groups : [];
}

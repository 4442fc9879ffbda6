namespace Portal.Features.Devices;

/// <summary>Who belongs to a group. Pure, so the rule is tested without a database.</summary>
public static class GroupMembership
{
    /// <summary>True when the selector is not empty and every one of its labels is on the device with the same value.</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}

namespace Portal.Features.FleetConfig;

/// <summary>
/// A config change in words for the audit log: which keys were added, changed or removed (values shortened), and which
/// files; a file's text is never written there, only that it changed.
/// </summary>
public static class ConfigDiff
{
    public static string Describe(
        IReadOnlyDictionary<string, string> oldValues, IReadOnlyDictionary<string, string> newValues,
        IReadOnlyDictionary<string, string> oldFiles, IReadOnlyDictionary<string, string> newFiles)
    {
        var parts = new List<string>();
        parts.AddRange(newValues.Where(kv => !oldValues.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"+{kv.Key}={Short(kv.Value)}"));
        parts.AddRange(newValues.Where(kv => oldValues.TryGetValue(kv.Key, out var old) && old != kv.Value).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"~{kv.Key}: {Short(oldValues[kv.Key])} → {Short(kv.Value)}"));
        parts.AddRange(oldValues.Keys.Where(k => !newValues.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"-{k}"));
        parts.AddRange(newFiles.Keys.Where(k => !oldFiles.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"+file {k}"));
        parts.AddRange(newFiles.Where(kv => oldFiles.TryGetValue(kv.Key, out var old) && old != kv.Value).Select(kv => kv.Key)
            .Order(StringComparer.Ordinal).Select(k => $"~file {k}"));
        parts.AddRange(oldFiles.Keys.Where(k => !newFiles.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"-file {k}"));
        return parts.Count == 0 ? "no change" : string.Join("; ", parts);
    }

    private static string Short(string value) => value.Length > 40 ? value[..40] + "…" : value;
}

namespace Portal.Features.FleetConfig;

/// <summary>Config values as the Configuration page edits them: one <c>KEY=value</c> per line (values may be empty or hold '=').</summary>
public static class ConfigText
{
    public static string Format(IReadOnlyDictionary<string, string> values) =>
        string.Join('\n', values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    public static (Dictionary<string, string> Values, string? Problem) Parse(string? text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith('#'))
            {
                continue;
            }

            var at = lines[i].IndexOf('=', StringComparison.Ordinal);
            var key = at <= 0 ? "" : lines[i][..at].Trim();
            if (at <= 0 || !values.TryAdd(key, lines[i][(at + 1)..]))
            {
                return ([], at <= 0 ? $"Line {i + 1} is not KEY=value." : $"Line {i + 1} sets {key} again.");
            }
        }

        return (values, null);
    }
}

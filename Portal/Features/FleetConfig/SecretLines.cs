using Portal.Common;

namespace Portal.Features.FleetConfig;

/// <summary>
/// Parses <c>KEY=value</c> lines for a bulk import: blank lines and <c>#</c> comments are skipped, the value is the
/// rest of the line after the first '=' (kept as typed, so it may hold '='). A refusal names the line number, never
/// the value.
/// </summary>
public static class SecretLines
{
    public const int MaxLines = 500;

    public static (IReadOnlyList<KeyValuePair<string, string>> Pairs, string? Problem) Parse(string? text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var lines = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var at = line.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                return ([], $"Line {i + 1} is not KEY=value.");
            }

            var key = line[..at].Trim();
            var value = line[(at + 1)..];
            var problem = ConfigRules.KeyProblem(key, "secret name")
                ?? (value.Length == 0 ? $"Line {i + 1} ({key}) has no value." : null)
                ?? (PlainText.IsClean(value) ? null : $"Line {i + 1} ({key}) holds a control character in its value.");
            if (problem is not null)
            {
                return ([], problem.StartsWith("Line", StringComparison.Ordinal) ? problem : $"Line {i + 1}: {problem}");
            }

            if (pairs.Any(p => p.Key == key))
            {
                return ([], $"Line {i + 1} sets {key} again.");
            }

            pairs.Add(new(key, value));
        }

        return pairs.Count switch
        {
            0 => ([], "There are no KEY=value lines to import."),
            > MaxLines => ([], $"Import at most {MaxLines} secrets at once."),
            _ => (pairs, null),
        };
    }
}

namespace Portal.Features.Compose;

/// <summary>Reads an env_file's <c>KEY=value</c> lines (blank lines and <c>#</c> comments skipped), as Compose does.</summary>
public static class ComposeEnvFile
{
    public static IReadOnlyDictionary<string, string> Read(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var at = line.IndexOf('=', StringComparison.Ordinal);
            if (at > 0)
            {
                values[line[..at].Trim()] = line[(at + 1)..];
            }
        }

        return values;
    }
}

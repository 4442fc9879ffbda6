namespace Portal.Features.Devices;

/// <summary>Labels as operators type them: <c>site=madrid, role=camera</c>.</summary>
public static class LabelText
{
    public static (Dictionary<string, string>? Labels, string? Problem) Parse(string? text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                return (null, $"'{pair}' is not a label: write key=value, separated by commas (site=madrid, role=camera).");
            }

            if (!labels.TryAdd(parts[0], parts[1]))
            {
                return (null, $"The label '{parts[0]}' appears twice.");
            }
        }

        return Labels.Problem(labels) is { } problem ? (null, problem) : (labels, null);
    }

    public static string Format(IReadOnlyDictionary<string, string> labels) => string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"));
}

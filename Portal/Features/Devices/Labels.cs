using System.Text.RegularExpressions;

namespace Portal.Features.Devices;

/// <summary>Device labels (<c>site=madrid</c>): lower-case keys, short values, a bounded number per device.</summary>
public static partial class Labels
{
    public const int MaxPerDevice = 32;

    /// <summary>Why a label set is not acceptable, or null when it is.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return null;
        }

        if (labels.Count > MaxPerDevice)
        {
            return $"A device can have at most {MaxPerDevice} labels.";
        }

        foreach (var (key, value) in labels)
        {
            if (!KeyPattern().IsMatch(key ?? ""))
            {
                return $"Label key '{key}' is not valid: use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 63 characters.";
            }

            if (!ValuePattern().IsMatch(value ?? ""))
            {
                return $"The value of label '{key}' is not valid: use letters, digits, '.', '_' or '-', at most 63 characters.";
            }
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}\\z")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex ValuePattern();
}

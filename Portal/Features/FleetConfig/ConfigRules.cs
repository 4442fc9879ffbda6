using System.Text.RegularExpressions;
using Portal.Common;

namespace Portal.Features.FleetConfig;

/// <summary>
/// What a config set and a secret name may hold. Keys are used as <c>${config:KEY}</c> and as environment names, file
/// names become files under <c>/appconfig/</c> on the device, so neither may hold a path separator or start with a dot.
/// </summary>
public static partial class ConfigRules
{
    public const int MaxEntries = 200;
    public const int MaxValueLength = 4096;
    public const int MaxFileLength = 64 * 1024;

    public static string? KeyProblem(string key, string what) =>
        KeyPattern().IsMatch(key) ? null
        : $"The {what} '{PlainText.Neutralize(Cut(key))}' is not valid: use 1 to 100 letters, digits, '_', '.' or '-', starting with a letter or '_'.";

    public static string? FileNameProblem(string name) =>
        FileNamePattern().IsMatch(name) ? null
        : $"The file name '{PlainText.Neutralize(Cut(name))}' is not valid: use 1 to 100 letters, digits, '_', '.' or '-', not starting with '.' (files are placed in /appconfig/).";

    /// <summary>Why the set cannot be stored, or null.</summary>
    public static string? SetProblem(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> files)
    {
        if (values.Count > MaxEntries || files.Count > MaxEntries)
        {
            return $"A config set holds at most {MaxEntries} values and {MaxEntries} files.";
        }

        foreach (var (key, value) in values)
        {
            var problem = KeyProblem(key, "key")
                ?? (value.Length > MaxValueLength ? $"The value of '{key}' is longer than {MaxValueLength} characters; use a file for longer text." : null)
                ?? PlainText.Problem(value, $"value of '{key}'", multiline: true);
            if (problem is not null)
            {
                return problem;
            }
        }

        foreach (var (name, text) in files)
        {
            var problem = FileNameProblem(name)
                ?? (text.Length > MaxFileLength ? $"The file '{name}' is larger than {MaxFileLength / 1024} KiB." : null)
                ?? (text.Contains('\0', StringComparison.Ordinal) ? $"The file '{name}' holds a NUL character; config files are text." : null);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}

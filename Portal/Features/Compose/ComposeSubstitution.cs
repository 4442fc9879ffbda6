using System.Text.RegularExpressions;

namespace Portal.Features.Compose;

/// <summary>
/// <c>${PARAM}</c> in a compose file, as for single apps: replaced by the parameter's value before the file is parsed,
/// so a parameter may stand anywhere a value may (ports included). Placeholders of other kinds are left alone.
/// </summary>
public static partial class ComposeSubstitution
{
    public static string Apply(string compose, IReadOnlyDictionary<string, string> parameters) =>
        Placeholder().Replace(compose, m => parameters.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>The plain <c>${NAME}</c> placeholders the file uses.</summary>
    public static IEnumerable<string> Names(string compose) =>
        Placeholder().Matches(compose).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}

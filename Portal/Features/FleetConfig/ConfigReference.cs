using System.Text.RegularExpressions;

namespace Portal.Features.FleetConfig;

/// <summary>A <c>${config:KEY}</c> or <c>${secret:NAME}</c> in an app's parameters, command or environment.</summary>
public sealed partial record ConfigReference(bool IsSecret, string Key)
{
    public override string ToString() => IsSecret ? $"${{secret:{Key}}}" : $"${{config:{Key}}}";

    /// <summary>Every reference in the texts, each once, in the order first met.</summary>
    public static IReadOnlyList<ConfigReference> In(IEnumerable<string> texts) =>
        texts.SelectMany(t => Pattern().Matches(t)).Select(m => new ConfigReference(m.Groups[1].Value == "secret", m.Groups[2].Value)).Distinct().ToList();

    /// <summary>Replaces each reference by what <paramref name="value"/> gives for it (null leaves it as written).</summary>
    public static string Replace(string text, Func<ConfigReference, string?> value) =>
        !text.Contains("${", StringComparison.Ordinal) ? text
        : Pattern().Replace(text, m => value(new ConfigReference(m.Groups[1].Value == "secret", m.Groups[2].Value)) ?? m.Value);

    /// <summary>The config files a container asks for by naming <c>/appconfig/NAME</c> in its command or environment.</summary>
    public static IReadOnlyList<string> FilesIn(IEnumerable<string> texts) =>
        texts.SelectMany(t => FilePattern().Matches(t)).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The secrets a container asks for as files by naming <c>/run/secrets/NAME</c> in its command or environment (for a
    /// stack service also its entrypoint): the agent puts each there, read-only, from a tmpfs, never as a variable.
    /// </summary>
    public static IReadOnlyList<string> SecretFilesIn(IEnumerable<string> texts) =>
        texts.SelectMany(t => SecretFilePattern().Matches(t)).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The reference when the whole text is one (a typed parameter's value that config fills), else null.</summary>
    public static ConfigReference? Whole(string text) =>
        Pattern().Match(text) is { Success: true } m && m.Length == text.Length ? new ConfigReference(m.Groups[1].Value == "secret", m.Groups[2].Value) : null;

    /// <summary>Every reference in the texts, as <see cref="In"/>, plus each secret asked for as a file.</summary>
    public static IReadOnlyList<ConfigReference> AllIn(IReadOnlyCollection<string> texts) =>
        [.. In(texts).Concat(SecretFilesIn(texts).Select(name => new ConfigReference(true, name))).Distinct()];

    public const string MountPath = "/appconfig/";

    public const string SecretMountPath = "/run/secrets/";

    [GeneratedRegex(@"/run/secrets/([A-Za-z_][A-Za-z0-9_.\-]{0,99})", RegexOptions.CultureInvariant)]
    private static partial Regex SecretFilePattern();

    [GeneratedRegex(@"/appconfig/([A-Za-z0-9_][A-Za-z0-9_.\-]{0,99})", RegexOptions.CultureInvariant)]
    private static partial Regex FilePattern();

    [GeneratedRegex(@"\$\{(config|secret):([A-Za-z_][A-Za-z0-9_.\-]{0,99})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

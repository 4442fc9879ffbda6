using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Portal.Features.Compose;

/// <summary>
/// Compose's <c>secrets:</c>, short syntax: a service lists names, each declared at the top level, and reads each at
/// <c>/run/secrets/NAME</c>. The values are the portal's secrets of that name (fleet, group, device), so a declaration
/// may be empty or <c>external: true</c>; <c>file</c> and <c>environment</c> are refused, as they would read the
/// device's disk or the agent's own environment.
/// </summary>
internal static partial class ComposeSecrets
{
    public static IReadOnlyList<string> ReadDeclared(YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        var map = YamlNodes.Map(node, "'secrets'");
        foreach (var (key, value) in map.Children)
        {
            var name = YamlNodes.Scalar(key, "A secret name");
            if (!Name().IsMatch(name))
            {
                throw new ComposeException(YamlNodes.Line(key), $"Secret name '{name}' must start with a letter or '_' and hold only letters, digits, '_', '.' and '-' (at most 100).");
            }

            if (value is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            var options = YamlNodes.Map(value, $"Secret '{name}'");
            YamlNodes.OnlyKeys(options, $"secret '{name}'", new HashSet<string>(["external"], StringComparer.Ordinal));
        }

        return [.. map.Children.Keys.Select(k => YamlNodes.Scalar(k, "A secret name"))];
    }

    public static IReadOnlyList<string> ReadUsed(YamlNode node, string where, IReadOnlyList<string> declared)
    {
        var list = node as YamlSequenceNode ?? throw new ComposeException(YamlNodes.Line(node), $"'secrets' in {where} must be a list of secret names.");
        var names = new List<string>();
        foreach (var item in list.Children)
        {
            var name = YamlNodes.Scalar(item, $"Each item of 'secrets' in {where} (the short syntax; target, uid and mode are not supported)");
            if (!declared.Contains(name, StringComparer.Ordinal))
            {
                throw new ComposeException(YamlNodes.Line(item), $"Secret '{name}' in {where} is not declared under the top-level 'secrets'.");
            }

            names.Add(name);
        }

        return names;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}

using YamlDotNet.RepresentationModel;

namespace Portal.Features.Compose;

/// <summary>Reads YAML nodes the way Compose writes them, refusing a wrong shape with the node's line.</summary>
internal static class YamlNodes
{
    public static int Line(YamlNode node) => (int)node.Start.Line;

    public static string Scalar(YamlNode node, string what) => node is YamlScalarNode { Value: { } value }
        ? value
        : throw new ComposeException(Line(node), $"{what} must be a single value.");

    public static YamlMappingNode Map(YamlNode node, string what) => node as YamlMappingNode
        ?? throw new ComposeException(Line(node), $"{what} must be a mapping of keys to values.");

    /// <summary>A list of strings, or one string split on spaces (Compose's short form of <c>command</c>).</summary>
    public static IReadOnlyList<string> Words(YamlNode node, string what) => node switch
    {
        YamlScalarNode s => (s.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        YamlSequenceNode list => [.. list.Children.Select(c => Scalar(c, $"Each item of {what}"))],
        _ => throw new ComposeException(Line(node), $"{what} must be a string or a list of strings."),
    };

    public static IReadOnlyList<string> List(YamlNode node, string what) => node is YamlSequenceNode list
        ? [.. list.Children.Select(c => Scalar(c, $"Each item of {what}"))]
        : throw new ComposeException(Line(node), $"{what} must be a list.");

    /// <summary>A map, or a list of <c>KEY=value</c> items (Compose allows both for environment and labels).</summary>
    public static IReadOnlyDictionary<string, string> Pairs(YamlNode node, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                result[Scalar(key, $"A key of {what}")] = value is YamlScalarNode s ? s.Value ?? "" : Scalar(value, $"{what} value");
            }

            return result;
        }

        foreach (var item in List(node, what).Zip(((YamlSequenceNode)node).Children))
        {
            var at = item.First.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ComposeException(Line(item.Second), $"'{item.First}' in {what} must be KEY=value.");
            }

            result[item.First[..at]] = item.First[(at + 1)..];
        }

        return result;
    }

    public static bool Bool(YamlNode node, string what) => Scalar(node, what).ToLowerInvariant() switch
    {
        "true" or "yes" => true,
        "false" or "no" => false,
        _ => throw new ComposeException(Line(node), $"{what} must be true or false."),
    };

    /// <summary>Refuses a key the Compose subset does not know, naming the keys that are supported.</summary>
    public static void OnlyKeys(YamlMappingNode map, string where, IReadOnlySet<string> known)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = Scalar(key, $"A key in {where}");
            if (!known.Contains(name) && !name.StartsWith("x-", StringComparison.Ordinal))
            {
                throw new ComposeException(Line(key), $"'{name}' in {where} is not supported. Supported: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
    }
}

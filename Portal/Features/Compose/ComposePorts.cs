using System.Globalization;
using YamlDotNet.RepresentationModel;
using Portal.Shared.Workloads;

namespace Portal.Features.Compose;

/// <summary>Reads <c>ports</c>: <c>"8080:80"</c>, <c>"80"</c>, <c>"8080:80/udp"</c>, or the long form (target, published, protocol).</summary>
internal static class ComposePorts
{
    public static IReadOnlyList<PortMapping> Read(YamlNode node)
    {
        if (node is not YamlSequenceNode list)
        {
            throw new ComposeException(YamlNodes.Line(node), "'ports' must be a list.");
        }

        return [.. list.Children.Select(One)];
    }

    private static PortMapping One(YamlNode node)
    {
        if (node is YamlMappingNode map)
        {
            YamlNodes.OnlyKeys(map, "a port", new HashSet<string>(["target", "published", "protocol"], StringComparer.Ordinal));
            var fields = map.Children.ToDictionary(c => YamlNodes.Scalar(c.Key, "A key"), c => YamlNodes.Scalar(c.Value, "A port field"), StringComparer.Ordinal);
            var target = Port(fields.GetValueOrDefault("target") ?? "", node);
            var published = fields.TryGetValue("published", out var p) ? Port(p, node) : target;
            return new PortMapping(target, published, Protocol(fields.GetValueOrDefault("protocol") ?? "tcp", node));
        }

        var text = YamlNodes.Scalar(node, "A port");
        var protocol = "tcp";
        if (text.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0)
        {
            protocol = Protocol(text[(slash + 1)..], node);
            text = text[..slash];
        }

        var parts = text.Split(':');
        return parts.Length switch
        {
            1 => new PortMapping(Port(parts[0], node), Port(parts[0], node), protocol),
            2 => new PortMapping(Port(parts[1], node), Port(parts[0], node), protocol),
            _ => throw new ComposeException(YamlNodes.Line(node), $"Port '{YamlNodes.Scalar(node, "A port")}' must be HOST:CONTAINER or CONTAINER (binding a host address is not supported)."),
        };
    }

    private static int Port(string text, YamlNode node) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new ComposeException(YamlNodes.Line(node), $"'{text}' is not a port (1-65535; ranges are not supported).");

    private static string Protocol(string text, YamlNode node) => text is "tcp" or "udp"
        ? text
        : throw new ComposeException(YamlNodes.Line(node), $"Protocol '{text}' must be tcp or udp.");
}

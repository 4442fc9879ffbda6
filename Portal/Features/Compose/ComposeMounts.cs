using YamlDotNet.RepresentationModel;

namespace Portal.Features.Compose;

/// <summary>
/// Reads a service's <c>volumes</c>: named volumes declared at the top, and bind mounts only under the app's own data
/// folder (<c>./something</c>), so an app can never reach the device's files, the engine's socket included.
/// </summary>
internal static class ComposeMounts
{
    public static IReadOnlyList<ComposeVolume> Read(YamlNode node, IReadOnlyList<string> declared)
    {
        if (node is not YamlSequenceNode list)
        {
            throw new ComposeException(YamlNodes.Line(node), "'volumes' must be a list.");
        }

        return [.. list.Children.Select(n => One(n, declared))];
    }

    private static ComposeVolume One(YamlNode node, IReadOnlyList<string> declared)
    {
        string source, target;
        var readOnly = false;
        if (node is YamlMappingNode map)
        {
            YamlNodes.OnlyKeys(map, "a volume", new HashSet<string>(["type", "source", "target", "read_only"], StringComparer.Ordinal));
            var fields = map.Children.ToDictionary(c => YamlNodes.Scalar(c.Key, "A key"), c => c.Value, StringComparer.Ordinal);
            source = fields.TryGetValue("source", out var s) ? YamlNodes.Scalar(s, "'source'") : "";
            target = fields.TryGetValue("target", out var t) ? YamlNodes.Scalar(t, "'target'") : "";
            readOnly = fields.TryGetValue("read_only", out var ro) && YamlNodes.Bool(ro, "'read_only'");
            var type = fields.TryGetValue("type", out var ty) ? YamlNodes.Scalar(ty, "'type'") : "volume";
            if (type is not ("volume" or "bind"))
            {
                throw new ComposeException(YamlNodes.Line(node), $"Volume type '{type}' is not supported: use volume or bind.");
            }
        }
        else
        {
            var parts = YamlNodes.Scalar(node, "A volume").Split(':');
            if (parts.Length is < 2 or > 3 || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
            {
                throw new ComposeException(YamlNodes.Line(node), $"Volume '{string.Join(':', parts)}' must be SOURCE:TARGET or SOURCE:TARGET:ro (anonymous volumes are not supported).");
            }

            (source, target, readOnly) = (parts[0], parts[1], parts.Length == 3 && parts[2] == "ro");
        }

        if (source.Length == 0 || !target.StartsWith('/'))
        {
            throw new ComposeException(YamlNodes.Line(node), "A volume needs a source and an absolute target path in the container.");
        }

        if (source.StartsWith("./", StringComparison.Ordinal) || source == ".")
        {
            if (source.Split('/').Any(part => part == ".."))
            {
                throw new ComposeException(YamlNodes.Line(node), $"Bind mount '{source}' leaves the app's data folder ('..' is refused).");
            }

            return new ComposeVolume(source, target, readOnly, IsBind: true);
        }

        if (source.Contains('/', StringComparison.Ordinal) || source.StartsWith('~') || source.StartsWith('.'))
        {
            throw new ComposeException(YamlNodes.Line(node), $"Bind mount '{source}' is outside the app's data folder: only paths under './' (the app's own folder on the device) can be mounted.");
        }

        if (!declared.Contains(source, StringComparer.Ordinal))
        {
            throw new ComposeException(YamlNodes.Line(node), $"Volume '{source}' is not declared under the top-level 'volumes'.");
        }

        return new ComposeVolume(source, target, readOnly, IsBind: false);
    }
}

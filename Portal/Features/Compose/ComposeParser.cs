using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Features.Compose;

/// <summary>
/// Parses and validates a compose file (the subset of the Compose Specification edge apps use). Anything unsafe or
/// unsupported is refused with a <see cref="ComposeException"/> naming the line, so certifying an app means something:
/// an admin never certifies a file the agent would run differently from what it says.
/// </summary>
public static class ComposeParser
{
    private static readonly HashSet<string> TopKeys = new(["services", "volumes", "secrets", "name", "version"], StringComparer.Ordinal);

    /// <param name="parameters">
    /// <c>${PARAM}</c> values, put into the parsed scalars before anything is validated (see <see cref="ComposeSubstitution"/>).
    /// </param>
    public static ComposeApp Parse(string yaml, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ComposeException((int)e.Start.Line, $"The YAML cannot be read: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count != 1)
        {
            throw new ComposeException(0, "A compose file must hold exactly one YAML document.");
        }

        ComposeSubstitution.Apply(stream.Documents[0].RootNode, parameters ?? new Dictionary<string, string>());
        var root = YamlNodes.Map(stream.Documents[0].RootNode, "A compose file");
        YamlNodes.OnlyKeys(root, "the compose file", TopKeys);
        if (!root.Children.TryGetValue(new YamlScalarNode("services"), out var servicesNode))
        {
            throw new ComposeException(YamlNodes.Line(root), "A compose file needs 'services'.");
        }

        var servicesMap = YamlNodes.Map(servicesNode, "'services'");
        if (servicesMap.Children.Count == 0)
        {
            throw new ComposeException(YamlNodes.Line(servicesNode), "'services' must name at least one service.");
        }

        var volumes = root.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumesNode)
            ? ReadVolumes(volumesNode)
            : [];
        var secrets = root.Children.TryGetValue(new YamlScalarNode("secrets"), out var secretsNode)
            ? ComposeSecrets.ReadDeclared(secretsNode)
            : [];
        var services = servicesMap.Children
            .Select(s => ComposeServiceReader.Read(YamlNodes.Scalar(s.Key, "A service name"), YamlNodes.Line(s.Key), s.Value, volumes, secrets))
            .ToList();
        ComposeDependencies.Check(services);
        return new ComposeApp(services, volumes);
    }

    private static IReadOnlyList<string> ReadVolumes(YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        var map = YamlNodes.Map(node, "'volumes'");
        foreach (var (key, value) in map.Children)
        {
            // Only plain local volumes: a driver or driver_opts can mount host paths or network shares.
            if (value is YamlMappingNode { Children.Count: > 0 } options)
            {
                throw new ComposeException(YamlNodes.Line(options), $"Volume '{YamlNodes.Scalar(key, "A volume name")}' may not set options (driver, driver_opts, external): only plain named volumes are supported.");
            }
        }

        return [.. map.Children.Keys.Select(k => YamlNodes.Scalar(k, "A volume name"))];
    }
}

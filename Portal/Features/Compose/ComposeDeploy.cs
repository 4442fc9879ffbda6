using System.Globalization;
using YamlDotNet.RepresentationModel;
using Portal.Shared.Workloads;

namespace Portal.Features.Compose;

/// <summary>
/// Reads <c>deploy</c>: only <c>resources.limits</c> (cpus, memory) and a GPU asked for the Compose way,
/// <c>resources.reservations.devices</c> with <c>capabilities: [gpu]</c>. Replicas and placement belong to Swarm.
/// </summary>
internal static class ComposeDeploy
{
    public static ResourceLimits Read(YamlNode node)
    {
        var deploy = YamlNodes.Map(node, "'deploy'");
        YamlNodes.OnlyKeys(deploy, "'deploy'", new HashSet<string>(["resources"], StringComparer.Ordinal));
        if (!deploy.Children.TryGetValue(new YamlScalarNode("resources"), out var resourcesNode))
        {
            return new ResourceLimits();
        }

        var resources = YamlNodes.Map(resourcesNode, "'resources'");
        YamlNodes.OnlyKeys(resources, "'deploy.resources'", new HashSet<string>(["limits", "reservations"], StringComparer.Ordinal));
        double cpus = 0;
        long memory = 0;
        if (resources.Children.TryGetValue(new YamlScalarNode("limits"), out var limitsNode))
        {
            var limits = YamlNodes.Map(limitsNode, "'limits'");
            YamlNodes.OnlyKeys(limits, "'deploy.resources.limits'", new HashSet<string>(["cpus", "memory"], StringComparer.Ordinal));
            if (limits.Children.TryGetValue(new YamlScalarNode("cpus"), out var c)
                && !double.TryParse(YamlNodes.Scalar(c, "'cpus'"), NumberStyles.Float, CultureInfo.InvariantCulture, out cpus))
            {
                throw new ComposeException(YamlNodes.Line(c), "'cpus' must be a number such as 0.5.");
            }

            if (limits.Children.TryGetValue(new YamlScalarNode("memory"), out var m))
            {
                memory = ComposeUnits.Bytes(YamlNodes.Scalar(m, "'memory'"))
                    ?? throw new ComposeException(YamlNodes.Line(m), "'memory' must be a size such as 512m or 1g.");
            }
        }

        return new ResourceLimits(cpus, memory, Gpu(resources));
    }

    private static bool Gpu(YamlMappingNode resources)
    {
        if (!resources.Children.TryGetValue(new YamlScalarNode("reservations"), out var reservationsNode))
        {
            return false;
        }

        var reservations = YamlNodes.Map(reservationsNode, "'reservations'");
        YamlNodes.OnlyKeys(reservations, "'deploy.resources.reservations'", new HashSet<string>(["devices"], StringComparer.Ordinal));
        if (!reservations.Children.TryGetValue(new YamlScalarNode("devices"), out var devices) || devices is not YamlSequenceNode list)
        {
            return false;
        }

        foreach (var device in list.Children.Select(d => YamlNodes.Map(d, "A reserved device")))
        {
            YamlNodes.OnlyKeys(device, "a reserved device", new HashSet<string>(["driver", "count", "capabilities", "device_ids"], StringComparer.Ordinal));
            if (!device.Children.TryGetValue(new YamlScalarNode("capabilities"), out var caps) || !YamlNodes.List(caps, "'capabilities'").Contains("gpu"))
            {
                throw new ComposeException(YamlNodes.Line(device), "A reserved device must have 'capabilities: [gpu]' (the only device reservation supported).");
            }
        }

        return list.Children.Count > 0;
    }
}

using YamlDotNet.RepresentationModel;
using Portal.Shared.Workloads;

namespace Portal.Features.Compose;

/// <summary>Reads one service of a compose file, refusing unsafe and unsupported keys with their line.</summary>
internal static class ComposeServiceReader
{
    private static readonly HashSet<string> Keys = new(
        ["image", "command", "entrypoint", "environment", "env_file", "ports", "volumes", "depends_on", "healthcheck",
         "restart", "network_mode", "devices", "deploy", "labels", "secrets", "privileged", "pid", "ipc", "build"],
        StringComparer.Ordinal);

    private static readonly HashSet<string> Restarts = new(["no", "always", "on-failure", "unless-stopped"], StringComparer.Ordinal);
    private static readonly HashSet<string> NetworkModes = new(["bridge", "host", "none"], StringComparer.Ordinal);

    public static ComposeService Read(string name, int line, YamlNode node, IReadOnlyList<string> volumes, IReadOnlyList<string>? secrets = null)
    {
        var map = YamlNodes.Map(node, $"Service '{name}'");
        var where = $"service '{name}'";
        YamlNodes.OnlyKeys(map, where, Keys);
        var keys = map.Children.ToDictionary(c => YamlNodes.Scalar(c.Key, "A key"), c => c.Value, StringComparer.Ordinal);
        RefuseUnsafe(keys, where);

        if (!keys.TryGetValue("image", out var image) || YamlNodes.Scalar(image, "'image'") is not { Length: > 0 } imageName)
        {
            throw new ComposeException(line, $"Service '{name}' needs an 'image' (building images on the device is not supported).");
        }

        var restart = keys.TryGetValue("restart", out var r) ? YamlNodes.Scalar(r, "'restart'") : "unless-stopped";
        if (!Restarts.Contains(restart))
        {
            throw new ComposeException(YamlNodes.Line(r!), $"restart '{restart}' is not one of: no, always, on-failure, unless-stopped.");
        }

        var network = keys.TryGetValue("network_mode", out var n) ? YamlNodes.Scalar(n, "'network_mode'") : "bridge";
        if (!NetworkModes.Contains(network))
        {
            throw new ComposeException(YamlNodes.Line(n!), $"network_mode '{network}' is not supported: use bridge (the stack's network), host or none.");
        }

        return new ComposeService(
            name,
            line,
            imageName,
            keys.TryGetValue("command", out var command) ? YamlNodes.Words(command, "'command'") : [],
            keys.TryGetValue("entrypoint", out var entrypoint) ? YamlNodes.Words(entrypoint, "'entrypoint'") : [],
            keys.TryGetValue("environment", out var environment) ? YamlNodes.Pairs(environment, "'environment'") : new Dictionary<string, string>(),
            keys.TryGetValue("env_file", out var envFile) ? YamlNodes.Words(envFile, "'env_file'") : [],
            keys.TryGetValue("ports", out var ports) ? ComposePorts.Read(ports) : [],
            keys.TryGetValue("volumes", out var mounts) ? ComposeMounts.Read(mounts, volumes) : [],
            keys.TryGetValue("depends_on", out var dependsOn) ? DependsOn(dependsOn) : [],
            keys.TryGetValue("healthcheck", out var health) ? ComposeHealth.Read(health) : null,
            restart,
            network,
            keys.TryGetValue("devices", out var devices) ? YamlNodes.List(devices, "'devices'") : [],
            keys.TryGetValue("deploy", out var deploy) ? ComposeDeploy.Read(deploy) : new ResourceLimits(),
            keys.TryGetValue("labels", out var labels) ? YamlNodes.Pairs(labels, "'labels'") : new Dictionary<string, string>(),
            keys.TryGetValue("secrets", out var used) ? ComposeSecrets.ReadUsed(used, where, secrets ?? []) : []);
    }

    private static void RefuseUnsafe(Dictionary<string, YamlNode> keys, string where)
    {
        if (keys.TryGetValue("build", out var build))
        {
            throw new ComposeException(YamlNodes.Line(build), $"'build' in {where} is not supported: devices run published images only; give an 'image'.");
        }

        if (keys.TryGetValue("privileged", out var privileged) && YamlNodes.Bool(privileged, "'privileged'"))
        {
            throw new ComposeException(YamlNodes.Line(privileged), $"'privileged' in {where} is refused: a privileged container owns the device. Declare the 'devices' it needs instead.");
        }

        foreach (var key in new[] { "pid", "ipc" })
        {
            if (keys.TryGetValue(key, out var value))
            {
                var mode = YamlNodes.Scalar(value, $"'{key}'");
                throw new ComposeException(YamlNodes.Line(value), mode == "host"
                    ? $"'{key}: host' in {where} is refused: the container would share the device's {key.ToUpperInvariant()} namespace."
                    : $"'{key}: {mode}' in {where} is not supported.");
            }
        }
    }

    private static List<ServiceDependency> DependsOn(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            return [.. YamlNodes.List(node, "'depends_on'").Select(s => new ServiceDependency(s))];
        }

        var result = new List<ServiceDependency>();
        foreach (var (key, value) in map.Children)
        {
            var service = YamlNodes.Scalar(key, "A service in 'depends_on'");
            var options = YamlNodes.Map(value, $"depends_on '{service}'");
            YamlNodes.OnlyKeys(options, $"depends_on '{service}'", new HashSet<string>(["condition", "restart", "required"], StringComparer.Ordinal));
            var condition = options.Children.TryGetValue(new YamlScalarNode("condition"), out var c) ? YamlNodes.Scalar(c, "'condition'") : "service_started";
            result.Add(new ServiceDependency(service, condition switch
            {
                "service_started" => DependencyCondition.ServiceStarted,
                "service_healthy" => DependencyCondition.ServiceHealthy,
                _ => throw new ComposeException(YamlNodes.Line(c!), $"condition '{condition}' is not supported: use service_started or service_healthy."),
            }));
        }

        return result;
    }
}

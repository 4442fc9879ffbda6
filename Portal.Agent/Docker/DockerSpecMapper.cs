using System.Globalization;
using Docker.DotNet.Models;
using Portal.Shared.Workloads;

namespace Portal.Agent.Docker;

/// <summary>Turns a <see cref="WorkloadSpec"/> into the engine's create request, with the agent's labels and variables.</summary>
internal static class DockerSpecMapper
{
    public const string DeviceIdVariable = "PORTAL_DEVICE_ID";
    public const string WorkloadVariable = "PORTAL_WORKLOAD";

    /// <summary>Where a container finds the config files it asked for (mounted read-only).</summary>
    public const string ConfigMountPath = "/appconfig";

    /// <param name="configDirectory">The host folder holding the spec's config files, when it has any.</param>
    /// <param name="secretsDirectory">The host folder (on a tmpfs) holding the secrets it asked for as files, when any.</param>
    public static CreateContainerParameters ToCreateParameters(WorkloadSpec spec, long revision, string deviceId, string? configDirectory = null, string? secretsDirectory = null)
    {
        var hostNetworking = spec.NetworkMode is "host" or "none";
        var ports = hostNetworking ? [] : spec.Ports;
        return new CreateContainerParameters
        {
            Name = WorkloadLabels.ContainerName(deviceId, spec.Name),
            Image = spec.Image,
            // An empty command makes the engine use the image's own.
            Cmd = [.. spec.Command],
            Env = Environment(spec, deviceId),
            Labels = new Dictionary<string, string>
            {
                [WorkloadLabels.Agent] = deviceId,
                [WorkloadLabels.Workload] = spec.Name,
                [WorkloadLabels.Deployment] = spec.DeploymentId,
                [WorkloadLabels.Revision] = revision.ToString(CultureInfo.InvariantCulture),
                [WorkloadLabels.SpecHash] = spec.SpecHash,
            },
            ExposedPorts = ports.Select(PortKey).Distinct().ToDictionary(key => key, _ => new EmptyStruct()),
            HostConfig = new HostConfig
            {
                NetworkMode = spec.NetworkMode ?? "",
                PortBindings = ports.GroupBy(PortKey).ToDictionary(
                    g => g.Key,
                    g => (IList<PortBinding>)[.. g.Select(p => new PortBinding { HostPort = p.HostPort.ToString(CultureInfo.InvariantCulture) })]),
                Binds = [.. spec.Volumes.Select(v => $"{v.Name}:{v.ContainerPath}{(v.ReadOnly ? ":ro" : "")}"),
                    .. configDirectory is null ? Array.Empty<string>() : [$"{configDirectory}:{ConfigMountPath}:ro"],
                    .. secretsDirectory is null ? Array.Empty<string>() : [$"{secretsDirectory}:{SecretFiles.MountPath}:ro"]],
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKindOf(spec.RestartPolicy) },

                // An init as PID 1 forwards SIGTERM, so shells and httpd stop at once instead of after the grace period.
                Init = true,
                NanoCPUs = (long)(spec.Limits.CpuCores * 1e9),
                Memory = spec.Limits.MemoryBytes,
                DeviceRequests = spec.Limits.Gpu
                    ? [new DeviceRequest { Driver = "nvidia", Count = -1, Capabilities = [["gpu"]] }]
                    : [],
            },
        };
    }

    public static RestartPolicyKind RestartPolicyKindOf(string? policy) => policy switch
    {
        null or "" or "no" => RestartPolicyKind.No,
        "always" => RestartPolicyKind.Always,
        "unless-stopped" => RestartPolicyKind.UnlessStopped,
        "on-failure" => RestartPolicyKind.OnFailure,
        _ => throw new ContainerRuntimeException(
            $"Unknown restart policy '{policy}'; expected no, always, unless-stopped or on-failure."),
    };

    private static List<string> Environment(WorkloadSpec spec, string deviceId) =>
    [
        // The agent's own variables win over a spec that happens to set them.
        .. spec.Environment
            .Where(e => e.Key is not (DeviceIdVariable or WorkloadVariable))
            .Select(e => $"{e.Key}={e.Value}"),
        $"{DeviceIdVariable}={deviceId}",
        $"{WorkloadVariable}={spec.Name}",
    ];

    private static string PortKey(PortMapping port) =>
        $"{port.ContainerPort.ToString(CultureInfo.InvariantCulture)}/{(string.IsNullOrEmpty(port.Protocol) ? "tcp" : port.Protocol.ToLowerInvariant())}";
}

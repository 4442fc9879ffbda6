using Docker.DotNet.Models;
using Portal.Shared.Workloads;

namespace Portal.Agent.Docker;

/// <summary>Turns one service of a stack into the engine's create request: the container's, plus what Compose adds.</summary>
internal static class DockerStackMapper
{
    /// <param name="configDirectory">The host folder holding the service's config files, when it asked for any.</param>
    /// <param name="secretsDirectory">The host folder (on a tmpfs) holding the secrets it asked for as files, when any.</param>
    public static CreateContainerParameters ToCreateParameters(
        StackSpec stack, StackService service, long revision, string deviceId, string? network, string? configDirectory = null, string? secretsDirectory = null)
    {
        var container = service.Container with
        {
            Name = WorkloadLabels.ServiceWorkload(stack.Name, service.ServiceName),
            // Compose's default network is the stack's own; without one (an engine run with --bridge=none) the host's.
            NetworkMode = service.Container.NetworkMode is "bridge" or "" ? network ?? "host" : service.Container.NetworkMode,
        };
        var parameters = DockerSpecMapper.ToCreateParameters(container, revision, deviceId, configDirectory, secretsDirectory);
        foreach (var (key, value) in service.Labels ?? new Dictionary<string, string>())
        {
            // The agent's own labels say what the container is; an app cannot overwrite them.
            parameters.Labels.TryAdd(key, value);
        }

        parameters.Labels[WorkloadLabels.Stack] = stack.Name;
        parameters.Labels[WorkloadLabels.Service] = service.ServiceName;
        if (service.Entrypoint is { Count: > 0 } entrypoint)
        {
            parameters.Entrypoint = [.. entrypoint];
        }

        if (service.HealthCheck is { } health)
        {
            parameters.Healthcheck = new HealthcheckConfig
            {
                Test = [.. health.Test],
                Interval = health.Interval,
                Timeout = health.Timeout,
                Retries = health.Retries,
                StartPeriod = health.StartPeriod,
            };
        }

        parameters.HostConfig!.Devices = [.. (service.Devices ?? []).Select(Device)];
        if (network is not null && container.NetworkMode == network)
        {
            // Services find each other by name on the stack's network, as under Compose.
            parameters.NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [network] = new() { Aliases = [service.ServiceName] } },
            };
        }

        return parameters;
    }

    public static string NetworkName(string deviceId, string stack) => WorkloadLabels.ContainerName(deviceId, stack);

    private static DeviceMapping Device(string text)
    {
        var parts = text.Split(':');
        return new DeviceMapping
        {
            PathOnHost = parts[0],
            PathInContainer = parts.Length > 1 ? parts[1] : parts[0],
            CgroupPermissions = parts.Length > 2 ? parts[2] : "rwm",
        };
    }
}

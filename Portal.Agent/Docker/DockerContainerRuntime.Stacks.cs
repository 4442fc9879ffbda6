using Docker.DotNet.Models;
using Portal.Shared.Workloads;

namespace Portal.Agent.Docker;

/// <summary>A stack's services: each its own container, on the stack's own network where the engine has bridge networking.</summary>
public sealed partial class DockerContainerRuntime
{
    private bool? _hasBridge;

    public Task<string> CreateServiceAsync(StackSpec stack, StackService service, long revision, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            var network = await StackNetworkAsync(stack, service, ct);
            var name = WorkloadLabels.ContainerName(_deviceId, WorkloadLabels.ServiceWorkload(stack.Name, service.ServiceName));
            var parameters = DockerStackMapper.ToCreateParameters(stack, service, revision, _deviceId, network,
                ConfigFiles.Write(_configRoot, name, service.Container.ConfigFiles), SecretFiles.Write(_secretsRoot, name, service.Container.SecretFiles));
            await RemoveIgnoringMissingAsync(parameters.Name!, ct);
            var created = await _client.Containers.CreateContainerAsync(parameters, ct);
            return created.ID;
        }, cancellationToken);

    public Task RemoveStackNetworkAsync(string stack, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            var name = DockerStackMapper.NetworkName(_deviceId, stack);
            var networks = await _client.Networks.ListNetworksAsync(new NetworksListParameters(), ct);
            if (networks.FirstOrDefault(n => n.Name == name) is { } network)
            {
                await _client.Networks.DeleteNetworkAsync(network.ID, ct);
            }

            return true;
        }, cancellationToken);

    /// <summary>
    /// The stack's network, created on first use; null when the service asks for host/none or the engine has no bridge
    /// network at all (run with <c>--bridge=none</c>, as in the tests), where the services share the host's network.
    /// </summary>
    private async Task<string?> StackNetworkAsync(StackSpec stack, StackService service, CancellationToken ct)
    {
        if (service.Container.NetworkMode is not ("bridge" or ""))
        {
            return null;
        }

        var networks = await _client.Networks.ListNetworksAsync(new NetworksListParameters(), ct);
        _hasBridge ??= networks.Any(n => n.Name == "bridge");
        if (_hasBridge == false)
        {
            return null;
        }

        var name = DockerStackMapper.NetworkName(_deviceId, stack.Name);
        if (networks.All(n => n.Name != name))
        {
            await _client.Networks.CreateNetworkAsync(
                new NetworksCreateParameters
                {
                    Name = name,
                    Driver = "bridge",
                    Labels = new Dictionary<string, string> { [WorkloadLabels.Agent] = _deviceId, [WorkloadLabels.Stack] = stack.Name },
                },
                ct);
        }

        return name;
    }
}

using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;

namespace Portal.Agent.Docker;

public sealed class DockerRuntimeFactory(IOptions<AgentOptions> options, TimeProvider clock) : IContainerRuntimeFactory
{
    public IContainerRuntime Create(string deviceId) => new DockerContainerRuntime(
        options.Value.DockerEndpoint, deviceId, clock, Path.Combine(options.Value.DataDirectory, "appconfig"), options.Value.SecretsDirectory);
}

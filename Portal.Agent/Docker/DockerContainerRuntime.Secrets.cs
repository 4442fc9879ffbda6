using Docker.DotNet;

namespace Portal.Agent.Docker;

/// <summary>Removing a container also forgets the secrets it was given as files (<see cref="SecretFiles"/>).</summary>
public sealed partial class DockerContainerRuntime
{
    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            var name = _secretsRoot is null ? null : await NameOfAsync(containerId, ct);
            await RemoveIgnoringMissingAsync(containerId, ct);
            if (name is not null)
            {
                // Its secrets live only as long as the container: nothing stays in memory for a workload that is gone.
                SecretFiles.Remove(_secretsRoot, name);
            }

            return true;
        }, cancellationToken);

    private async Task<string?> NameOfAsync(string containerId, CancellationToken ct)
    {
        try
        {
            return (await _client.Containers.InspectContainerAsync(containerId, ct)).Name.TrimStart('/');
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            return null;
        }
    }
}

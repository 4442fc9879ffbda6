using Docker.DotNet;
using Docker.DotNet.Models;

namespace Portal.Agent.Docker;

/// <summary>Pruning: images nothing uses and nothing needs are removed, like <c>docker image prune -a</c> but keeping what the desired state names.</summary>
public sealed partial class DockerContainerRuntime
{
    public Task<ImagePruneResult> PruneImagesAsync(IReadOnlyCollection<string> keep, CancellationToken cancellationToken) =>
        EngineAsync(async ct =>
        {
            // Any container on the engine, ours or not, running or not, holds its image.
            var containers = await _client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct);
            var used = containers.Select(c => c.ImageID).ToHashSet(StringComparer.Ordinal);
            foreach (var image in keep)
            {
                try
                {
                    used.Add((await _client.Images.InspectImageAsync(image, ct)).ID);
                }
                catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
                {
                    // Needed but not pulled yet: nothing to keep.
                }
            }

            var images = await _client.Images.ListImagesAsync(new ImagesListParameters { All = false }, ct);
            var (removed, freed, kept) = (0, 0L, 0);
            var refused = new List<string>();
            foreach (var image in images)
            {
                if (used.Contains(image.ID))
                {
                    kept++;
                    continue;
                }

                // By tag when tagged (an image under several names needs each removed), else by id; never forced.
                var names = image.RepoTags is { Count: > 0 } tags && !tags.All(t => t == "<none>:<none>") ? tags.Where(t => t != "<none>:<none>").ToList() : [image.ID];
                var gone = true;
                foreach (var name in names)
                {
                    try
                    {
                        await _client.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = false }, ct);
                    }
                    catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
                    {
                    }
                    catch (DockerApiException ex)
                    {
                        gone = false;
                        refused.Add($"{name}: {DockerErrors.EngineMessage(ex)}");
                    }
                }

                if (gone)
                {
                    removed++;
                    freed += image.Size;
                }
                else
                {
                    kept++;
                }
            }

            return new ImagePruneResult(removed, freed, kept, refused);
        }, cancellationToken);
}

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portal.Common;
using Portal.Configuration;
using Portal.Features.Audit;
using Portal.Features.Models;
using Portal.Shared.AgentReleases;

namespace Portal.Features.AgentReleases;

/// <summary>
/// Reads an agent release upload (<c>multipart/form-data</c>): text parts <c>version</c> and <c>releaseNotes</c>, and one
/// file part per architecture, named by it (<c>linux-x64</c>, <c>linux-arm64</c>), each streamed into the artifact
/// store's staging folder (hashed on the way, never buffered whole). Nothing stays behind when the upload is refused.
/// </summary>
internal static class AgentReleaseUploadReader
{
    public static async Task<OperationResult<AgentReleaseDto>> ReadAsync(
        HttpContext context, AgentReleaseService releases, ArtifactStore store, IOptions<PortalOptions> options, AuditActor actor)
    {
        static OperationResult<AgentReleaseDto> Invalid(string problem) => OperationResult<AgentReleaseDto>.Fail(OperationOutcome.Invalid, problem);

        var maxBytes = options.Value.AgentReleases.MaxUploadMb * 1024L * 1024;
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("Send the release as multipart/form-data: curl -F version=0.5.1 -F linux-x64=@portal-agent -F releaseNotes='…'.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return Invalid("The multipart body has no valid boundary.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes * AgentReleaseManifest.Architectures.Count + 1024 * 1024;
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        var builds = new List<AgentReleaseService.StagedBuild>();
        string? version = null;
        string? notes = null;
        try
        {
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (!AgentReleaseManifest.Architectures.Contains(name))
                    {
                        return Invalid($"A file part is named '{Shorten(name)}': name each build by its architecture ({string.Join(" or ", AgentReleaseManifest.Architectures)}).");
                    }

                    if (builds.Any(b => b.Architecture == name))
                    {
                        return Invalid($"Send one {name} build per release.");
                    }

                    var staged = await store.StageAsync(section.Body, null, context.RequestAborted, maxBytes);
                    if (staged.TooLarge)
                    {
                        return OperationResult<AgentReleaseDto>.Fail(OperationOutcome.TooLarge,
                            $"The {name} build is larger than the {options.Value.AgentReleases.MaxUploadMb} MB limit (Portal:AgentReleases:MaxUploadMb).");
                    }

                    builds.Add(new(name, staged));
                }
                else if (name is "version" or "releaseNotes")
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[4001];
                    var read = await text.ReadBlockAsync(buffer, context.RequestAborted);
                    (version, notes) = name == "version" ? (new string(buffer, 0, read), notes) : (version, new string(buffer, 0, read));
                }
            }

            return await releases.CreateAsync(version, notes, builds, actor, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return OperationResult<AgentReleaseDto>.Fail(OperationOutcome.TooLarge, $"The upload is larger than allowed ({options.Value.AgentReleases.MaxUploadMb} MB per build, Portal:AgentReleases:MaxUploadMb).");
        }
        catch (IOException ex) when (ArtifactStore.IsDiskFull(ex))
        {
            return OperationResult<AgentReleaseDto>.Fail(OperationOutcome.InsufficientStorage, "The portal's data disk is full: nothing was stored. Free space on it and upload again.");
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            return Invalid($"The multipart body is malformed or was cut off: {ServerPaths.Hide(ex.Message)}");
        }
        catch (InvalidDataException ex)
        {
            return Invalid($"The multipart body is malformed: {ServerPaths.Hide(ex.Message)}");
        }
        finally
        {
            // Committed builds were moved into the store; whatever is still staged belongs to a refused upload.
            builds.ForEach(b => ArtifactStore.Discard(b.File.Path));
        }
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

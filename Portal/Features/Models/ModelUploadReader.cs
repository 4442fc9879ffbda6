using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>
/// Reads a <c>multipart/form-data</c> upload section by section: the <c>file</c> part is streamed straight into the
/// registry (hashed on the way, never buffered whole), <c>releaseNotes</c> is read as text.
/// </summary>
internal static class ModelUploadReader
{
    public static async Task<OperationResult<ModelVersionDto>> ReadAsync(HttpContext context, string idOrName, ModelRegistry registry, ArtifactStore store, AuditActor actor)
    {
        static OperationResult<ModelVersionDto> Invalid(string problem) => OperationResult<ModelVersionDto>.Fail(OperationOutcome.Invalid, problem);

        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("Send the model as multipart/form-data with the file in a part named 'file' (curl -F file=@model.onnx).");
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return Invalid("The multipart body has no valid boundary.");
        }

        // The upload may be much larger than the default request limit; the store enforces the model size limit itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = store.MaxUploadBytes + 1024 * 1024;
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        string? notes = null;
        OperationResult<ModelVersionDto>? uploaded = null;
        try
        {
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition() && name == "file")
                {
                    if (uploaded is not null)
                    {
                        return Invalid("Send one file per upload.");
                    }

                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
                    uploaded = await registry.UploadAsync(idOrName, section.Body, fileName, notes, actor, null, context.RequestAborted);
                    if (!uploaded.Succeeded)
                    {
                        return uploaded;
                    }
                }
                else if (name == "releaseNotes")
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[4001];
                    var read = await text.ReadBlockAsync(buffer, context.RequestAborted);
                    notes = new string(buffer, 0, read);
                    if (uploaded is { Succeeded: true, Value: { } version })
                    {
                        // Notes after the file: apply them to the version just made.
                        uploaded = await registry.UpdateVersionAsync(idOrName, version.Version, new UpdateModelVersionRequest(ReleaseNotes: notes), null, context.RequestAborted);
                    }
                }
            }
        }
        // BadHttpRequestException is an IOException: the request-size check comes first, or a body over the limit reads as "malformed".
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return OperationResult<ModelVersionDto>.Fail(OperationOutcome.TooLarge, $"The upload is larger than the {store.MaxUploadBytes / (1024 * 1024)} MB limit (Portal:Models:MaxUploadMb).");
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            return Invalid($"The multipart body is malformed or was cut off: {ServerPaths.Hide(ex.Message)}");
        }
        catch (InvalidDataException ex)
        {
            return Invalid($"The multipart body is malformed: {ServerPaths.Hide(ex.Message)}");
        }

        return uploaded ?? Invalid("The upload has no part named 'file' with the model in it.");
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portal.Common;
using Portal.Features.Compose;
using Portal.Shared.Marketplace;

namespace Portal.Features.Marketplace;

/// <summary>
/// Reads <c>POST /api/v1/marketplace/apps</c> sent as <c>multipart/form-data</c>: the app's JSON in the part
/// <see cref="AppPart"/> (a field or a file) and the stack in <see cref="ComposePart"/> (a compose file or a zip, told
/// apart by its file name), which becomes the first version's compose file. Parts are read into memory up to small caps.
/// </summary>
internal static class AppUploadReader
{
    public const string AppPart = "app";
    public const string ComposePart = "compose";

    private const int MaxAppBytes = 512 * 1024;
    private const int MaxComposeUploadBytes = 2 * ComposeArchive.MaxTotalBytes;

    public static async Task<OperationResult<AppDefinition>> ReadAsync(HttpContext context)
    {
        static OperationResult<AppDefinition> Invalid(string problem) => OperationResult<AppDefinition>.Fail(OperationOutcome.Invalid, problem);

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Invalid("The multipart body has no valid boundary.");
        }

        var reader = new MultipartReader(boundary, context.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        byte[]? app = null;
        (string Name, byte[] Content)? compose = null;
        try
        {
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == AppPart)
                {
                    app = await ReadLimitedAsync(section.Body, MaxAppBytes, context.RequestAborted)
                        ?? throw new InvalidDataException($"The '{AppPart}' part is larger than {MaxAppBytes / 1024} KiB.");
                }
                else if (name == ComposePart)
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
                    if (string.IsNullOrEmpty(fileName))
                    {
                        return Invalid($"Send the '{ComposePart}' part as a file with its name (curl -F {ComposePart}=@compose.yaml), so a compose file and a zip can be told apart.");
                    }

                    compose = (fileName, await ReadLimitedAsync(section.Body, MaxComposeUploadBytes, context.RequestAborted)
                        ?? throw new InvalidDataException($"'{fileName}' is larger than {MaxComposeUploadBytes / 1024 / 1024} MiB."));
                }
            }
        }
        catch (InvalidDataException ex)
        {
            return Invalid(ex.Message);
        }
        catch (IOException)
        {
            return Invalid("The multipart body is malformed or was cut off.");
        }

        if (app is null)
        {
            return Invalid($"The upload has no '{AppPart}' part: send the app's JSON in it (curl -F {AppPart}=@app.json -F {ComposePart}=@compose.yaml).");
        }

        AppDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize<AppDefinition>(app, context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            return Invalid($"The '{AppPart}' part is not a valid app definition. {JsonErrorText.Describe(ex)}");
        }

        if (definition is null || compose is not { } upload)
        {
            return definition is null ? Invalid($"The '{AppPart}' part is empty.") : OperationResult<AppDefinition>.Ok(definition);
        }

        if (definition.Versions is not { Count: > 0 })
        {
            return Invalid("The app has no version for the compose file: add one to 'versions' (its image may be empty).");
        }

        var stack = new AppStackDraft();
        stack.Load(upload.Name, upload.Content, definition.Versions[0].Parameters);
        // A bad compose file is left to the validator, which names the version as well as the line; a bad upload stops here.
        return stack.Bundle is null ? Invalid(stack.Problem!) : OperationResult<AppDefinition>.Ok(stack.Merge(definition));
    }

    /// <summary>The part's bytes, or null when it holds more than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

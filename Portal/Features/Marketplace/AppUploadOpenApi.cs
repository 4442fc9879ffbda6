using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Portal.Features.Marketplace;

/// <summary>Says in OpenAPI that creating an app also takes <c>multipart/form-data</c>: the app's JSON and a stack's compose file or zip.</summary>
internal static class AppUploadOpenApi
{
    public static Task AddMultipart(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Description = "Send the app as JSON, or as multipart/form-data with the app's JSON in the part 'app' and a stack's compose file " +
            "(.yaml/.yml) or zip (compose file at its root, config files beside it) in the part 'compose'; the compose file becomes the first version's.";
        var body = operation.RequestBody as OpenApiRequestBody ?? new OpenApiRequestBody { Required = true };
        body.Content ??= new Dictionary<string, OpenApiMediaType>();
        operation.RequestBody = body;
        body.Content["multipart/form-data"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { AppUploadReader.AppPart },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    [AppUploadReader.AppPart] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The app definition, as JSON (the same document as the JSON body)." },
                    [AppUploadReader.ComposePart] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "compose.yaml (or .yml), or a .zip with it at the root and config files beside it." },
                },
            },
        };
        return Task.CompletedTask;
    }
}

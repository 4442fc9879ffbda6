using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Portal.Hosting;

/// <summary>
/// Enums travel as names (<see cref="Portal.Shared.Json.EnumNameConverter{T}"/>), a converter the schema generator cannot
/// see through; this writes them into the OpenAPI document as what they are: a string with its allowed names.
/// </summary>
internal static class EnumSchemas
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.JsonTypeInfo.Type;
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        if (!type.IsEnum)
        {
            return Task.CompletedTask;
        }

        schema.Type = type == declared ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        schema.Enum = [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(name))];
        schema.Description ??= "One of the names listed; older scripts may send the number instead.";
        return Task.CompletedTask;
    }
}

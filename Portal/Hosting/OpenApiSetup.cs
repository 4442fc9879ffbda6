using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Portal.Security;
using Portal.Shared.Routes;
using Scalar.AspNetCore;

namespace Portal.Hosting;

/// <summary>
/// The REST API described at <c>/openapi/v1.json</c> and browsable at <c>/api/docs</c> (Scalar), for signed-in people.
/// Only <c>/api/v1</c> is described; every operation says which bearer token it takes.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "/api/docs";

    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            // Identity's e-mail and self-registration routes are switched off (they answer 403), so they are not described.
            options.ShouldInclude = description => ("/" + description.RelativePath) is var path
                && path.StartsWith(ApiRoutes.Prefix, StringComparison.OrdinalIgnoreCase)
                && !AuthApiEndpoints.DisabledAuthRoutes.Any(r => path.StartsWith(ApiRoutes.Auth + r, StringComparison.OrdinalIgnoreCase));
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Edge AI Portal API",
                    Version = "v1",
                    Description = "[Back to the portal](/) · Devices, groups, marketplace apps, models, deployments and users of an edge AI fleet. "
                        + "Authenticate with `Authorization: Bearer <token>`: a personal access token (`pat_…`, create one under Access tokens) "
                        + "or the token `POST /api/v1/auth/login` returns. Agents use their device secret (`dev_…`) on `/api/v1/agent/*`. "
                        + "Errors are RFC 7807 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A personal access token (pat_…), a sign-in token from /api/v1/auth/login, or a device secret (dev_…) for agent routes.",
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(EnumSchemas.DescribeAsync);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
                if (!anonymous)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
                    operation.Responses ??= new OpenApiResponses();
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid credentials." });
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "Signed in, but the role does not allow this." });
                }

                return Task.CompletedTask;
            });
        });

    public static WebApplication MapPortalOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(DocsPath, options => options
            .WithTitle("Edge AI Portal API")
            .WithOpenApiRoutePattern(DocumentPath)
            // Nothing leaves the portal: no web fonts from Scalar's CDN, no AI chat, no telemetry, no cloud toolbar.
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableTelemetry()
            .DisableMcp()
            .HideDeveloperTools()
            // Scalar's own "Models" section lists schemas and would stand beside the API's "Models" tag (ML models) under
            // the same name; the schemas are still shown with each operation.
            .HideModels()
            .AddHeaderContent("""<nav style="padding: 8px 16px;"><a href="/" id="back-to-portal">← Back to the portal</a></nav>""")
            .AddHttpAuthentication("bearer", _ => { }));
        return app;
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Common;
using Portal.Configuration;
using Portal.Features.Audit;
using Portal.Features.Models;
using Portal.Security;
using Portal.Shared.AgentReleases;
using Portal.Shared.Routes;

namespace Portal.Features.AgentReleases;

internal static class AgentReleaseEndpoints
{
    public static IEndpointRouteBuilder MapAgentReleaseEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var releases = endpoints.MapGroup(ApiRoutes.AgentReleases)
            .WithTags("Agent releases")
            .RequireAuthorization(PortalPolicies.Read);

        releases.MapGet("/", async (AgentReleaseService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)));

        releases.MapGet("/{version}", async Task<Results<Ok<AgentReleaseDto>, ProblemHttpResult>> (string version, AgentReleaseService service, CancellationToken ct) =>
            await service.GetAsync(version, ct) is { } release ? TypedResults.Ok(release) : ApiProblems.For(OperationOutcome.NotFound, $"There is no agent release {version}."));

        // Uploading a build every device will run is an admin's decision.
        releases.MapPost("/", async Task<Results<Created<AgentReleaseDto>, ProblemHttpResult>> (
            HttpContext context, AgentReleaseService service, ArtifactStore store, IOptions<PortalOptions> options) =>
        {
            var result = await AgentReleaseUploadReader.ReadAsync(context, service, store, options, AuditActor.From(context));
            return result.Succeeded ? TypedResults.Created(ApiRoutes.AgentRelease(result.Value!.Version), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin).DisableAntiforgery().RequireRateLimiting(RateLimits.Uploads)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The body is read as a stream (never buffered), so its shape is described here rather than bound.
                operation.Summary = "Upload an agent release (multipart/form-data: version, releaseNotes, a file part per architecture)";
                static Microsoft.OpenApi.OpenApiSchema Text(string description) => new() { Type = Microsoft.OpenApi.JsonSchemaType.String, Description = description };
                static Microsoft.OpenApi.OpenApiSchema Binary(string description) => new() { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary", Description = description };
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["multipart/form-data"] = new()
                        {
                            Schema = new Microsoft.OpenApi.OpenApiSchema
                            {
                                Type = Microsoft.OpenApi.JsonSchemaType.Object,
                                Required = new HashSet<string> { "version" },
                                Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                                {
                                    ["version"] = Text("The version stamped into the builds, e.g. 0.5.1."),
                                    ["releaseNotes"] = Text("What changed, for operators."),
                                    ["linux-x64"] = Binary("The single-file build for x86-64 (Portal.Agent/deploy/publish.sh)."),
                                    ["linux-arm64"] = Binary("The single-file build for ARM64."),
                                },
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            });

        releases.MapDelete("/{version}", async Task<Results<NoContent, ProblemHttpResult>> (string version, HttpContext context, AgentReleaseService service, CancellationToken ct) =>
        {
            var result = await service.DeleteAsync(version, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin);
        // The install script holds no secret (the launcher, the unit and the steps of the README): anyone may read it.
        endpoints.MapGet(ApiRoutes.InstallScript, () => TypedResults.Text(AgentInstaller.Script, "text/x-shellscript; charset=utf-8"))
            .WithTags("Agent").AllowAnonymous()
            .WithSummary("The agent's install script: curl -fsSL PORTAL/install/agent.sh | sudo sh -s -- --portal PORTAL --token-file FILE");

        // The build the script downloads; the enrollment token (not used up here) is the credential.
        endpoints.MapGet(ApiRoutes.AgentInstallBuild("{architecture}"), async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (
            string architecture, string? version, HttpContext context, AgentInstaller installer, CancellationToken ct) =>
        {
            var result = await installer.FindAsync(architecture, version, context.Request.Headers[AgentInstaller.TokenHeader].ToString(), ct);
            if (!result.Succeeded)
            {
                return ApiProblems.For(result.Outcome, result.Error);
            }

            var build = result.Value!;
            context.Response.Headers["X-Agent-Version"] = build.Version;
            context.Response.Headers["X-Agent-Sha256"] = build.Sha256;
            return TypedResults.File(File.OpenRead(build.Path), "application/octet-stream", $"portal-agent-{build.Version}-{build.Architecture}", enableRangeProcessing: true);
        }).WithTags("Agent").AllowAnonymous().RequireRateLimiting(RateLimits.Enrollment)
          .WithSummary("The newest agent release's build for linux-x64 or linux-arm64 (or ?version=), for the install script; send an enrollment token that could enroll a device now in X-Enrollment-Token. Headers X-Agent-Version and X-Agent-Sha256 say what was sent.");

        return endpoints;
    }
}

using Portal.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Models;

internal static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var models = endpoints.MapGroup(ApiRoutes.Models)
            .WithTags("Models")
            .RequireAuthorization(PortalPolicies.Read);

        models.MapGet("/", async (ModelRegistry registry, CancellationToken ct) => TypedResults.Ok(await registry.ListAsync(ct)));

        models.MapGet("/{id}", async Task<Results<Ok<ModelDto>, ProblemHttpResult>> (string id, ModelRegistry registry, CancellationToken ct) =>
            await registry.GetAsync(id, ct) is { } model ? TypedResults.Ok(model) : ApiProblems.For(OperationOutcome.NotFound, $"There is no model '{id}'."));

        models.MapPost("/", async Task<Results<Created<ModelDto>, ProblemHttpResult>> (CreateModelRequest request, HttpContext context, ModelRegistry registry, CancellationToken ct) =>
        {
            var result = await registry.CreateAsync(request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.Model(result.Value!.Id), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        models.MapPost("/{id}/versions", async Task<Results<Created<ModelVersionDto>, ProblemHttpResult>> (
            string id, HttpContext context, ModelRegistry registry, ArtifactStore store) =>
        {
            var result = await ModelUploadReader.ReadAsync(context, id, registry, store, AuditActor.From(context));
            return result.Succeeded
                ? TypedResults.Created(ApiRoutes.ModelVersion(result.Value!.ModelId, result.Value.Version), result.Value)
                : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change).DisableAntiforgery().RequireRateLimiting(Portal.Security.RateLimits.Uploads)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The body is read as a stream (never buffered), so its shape is described here rather than bound.
                operation.Summary = "Upload a model version (multipart/form-data: file, optional releaseNotes)";
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
                                Required = new HashSet<string> { "file" },
                                Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                                {
                                    ["file"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary", Description = "The .onnx file." },
                                    ["releaseNotes"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                                },
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            });

        models.MapGet("/{id}/versions/{version:int}", async Task<Results<Ok<ModelVersionDto>, ProblemHttpResult>> (string id, int version, ModelRegistry registry, CancellationToken ct) =>
            await registry.GetVersionAsync(id, version, ct) is { } found ? TypedResults.Ok(found) : ApiProblems.For(OperationOutcome.NotFound, $"There is no version {version} of model '{id}'."));

        models.MapPut("/{id}/versions/{version:int}", async Task<Results<Ok<ModelVersionDto>, ProblemHttpResult>> (
            string id, int version, UpdateModelVersionRequest request, HttpContext context, ModelRegistry registry, CancellationToken ct) =>
        {
            var result = await registry.UpdateVersionAsync(id, version, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        // Only what no active deployment uses: otherwise 409 naming the deployments (archive stops new ones instead).
        models.MapDelete("/{id}/versions/{version:int}", async Task<Results<NoContent, ProblemHttpResult>> (
            string id, int version, HttpContext context, ModelRegistry registry, CancellationToken ct) =>
        {
            var result = await registry.DeleteVersionAsync(id, version, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        models.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, ModelRegistry registry, CancellationToken ct) =>
        {
            var result = await registry.DeleteModelAsync(id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        models.MapGet("/{id}/versions/{version:int}/file", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (string id, int version, ModelRegistry registry, CancellationToken ct) =>
            await registry.FileAsync(id, version, ct) is { } file
                ? TypedResults.File(File.OpenRead(file.Path), "application/octet-stream", file.FileName, enableRangeProcessing: true)
                : ApiProblems.For(OperationOutcome.NotFound, $"There is no version {version} of model '{id}'."))
            .RequireAuthorization(PortalPolicies.Change);

        models.MapGet("/{id}/versions/{version:int}/metrics", async Task<Results<Ok<IReadOnlyList<DeviceInferenceMetrics>>, ProblemHttpResult>> (
            string id, int version, ModelRegistry registry, InferenceMetricsStore metrics, CancellationToken ct) =>
            await registry.GetVersionAsync(id, version, ct) is { } found
                ? TypedResults.Ok(await metrics.ForModelAsync(found.ModelName, version, ct))
                : ApiProblems.For(OperationOutcome.NotFound, $"There is no version {version} of model '{id}'."));

        models.MapGet("/{id}/versions/{version:int}/profiles", async Task<Results<Ok<IReadOnlyList<ModelProfileDto>>, ProblemHttpResult>> (
            string id, int version, ModelProfiles profiles, CancellationToken ct) =>
        {
            var result = await profiles.ListAsync(id, version, ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        });

        models.MapPost("/{id}/versions/{version:int}/profiles", async Task<Results<Accepted<IReadOnlyList<ModelProfileDto>>, ProblemHttpResult>> (
            string id, int version, ProfileModelRequest request, HttpContext context, ModelProfiles profiles, CancellationToken ct) =>
        {
            var result = await profiles.StartAsync(id, version, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Accepted(ApiRoutes.ModelVersionProfiles(id, version), result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        // Agents fetch model files by hash with their own credentials, only those their desired state or a profile run names.
        endpoints.MapGet(ApiRoutes.AgentArtifact("{sha256}"), async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (
            string sha256, ClaimsPrincipal device, ArtifactAccess access, ArtifactStore store, CancellationToken ct) =>
        {
            var deviceId = device.FindFirstValue(ClaimTypes.NameIdentifier)!;
            if (!ArtifactStore.IsHash(sha256) || !await access.MayFetchAsync(deviceId, sha256.ToLowerInvariant(), ct) || !store.Exists(sha256))
            {
                return ApiProblems.For(OperationOutcome.NotFound, "This device has no model file with that hash to fetch.");
            }

            return TypedResults.File(File.OpenRead(store.PathOf(sha256)), "application/octet-stream", enableRangeProcessing: true);
        }).WithTags("Agent").RequireAuthorization(PortalPolicies.Device);

        return endpoints;
    }
}

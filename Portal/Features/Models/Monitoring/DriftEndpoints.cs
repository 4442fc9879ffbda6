using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Models.Monitoring;
using Portal.Shared.Routes;

namespace Portal.Features.Models.Monitoring;

internal static class DriftEndpoints
{
    public static IEndpointRouteBuilder MapDriftEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var versions = endpoints.MapGroup(ApiRoutes.Models).WithTags("Models").RequireAuthorization(PortalPolicies.Read);

        versions.MapGet("/{id}/versions/{version:int}/baseline", async Task<Results<Ok<BaselineDto>, NoContent, ProblemHttpResult>> (
            string id, int version, BaselineService baselines, CancellationToken ct) =>
            await baselines.GetAsync(id, version, ct) is { Succeeded: true } found
                ? found.Value is { } baseline ? TypedResults.Ok(baseline) : TypedResults.NoContent()
                : ApiProblems.For(OperationOutcome.NotFound, $"There is no version {version} of model '{id}'."))
            .WithSummary("The version's baseline (204: none yet): Capturing from a device's requests, or Ready.");

        versions.MapPost("/{id}/versions/{version:int}/baseline/capture", async Task<Results<Ok<BaselineDto>, ProblemHttpResult>> (
            string id, int version, CaptureBaselineRequest request, HttpContext context, BaselineService baselines, CancellationToken ct) =>
            ApiProblems.OkOr(await baselines.CaptureAsync(id, version, request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Captures the version's baseline from the next requests (50-100000) a device serving it gets; replaces the one it had.");

        versions.MapPut("/{id}/versions/{version:int}/baseline", async Task<Results<Ok<BaselineDto>, ProblemHttpResult>> (
            string id, int version, UploadBaselineRequest request, HttpContext context, BaselineService baselines, CancellationToken ct) =>
            ApiProblems.OkOr(await baselines.UploadAsync(id, version, request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Sets the version's baseline from uploaded reference requests (each a set of its inputs: name, shape, data); it covers the inputs only. Replaces the one it had.");

        versions.MapDelete("/{id}/versions/{version:int}/baseline", async Task<Results<NoContent, ProblemHttpResult>> (
            string id, int version, HttpContext context, BaselineService baselines, CancellationToken ct) =>
            await baselines.DeleteAsync(id, version, AuditActor.From(context), ct) is { Succeeded: false } failed
                ? ApiProblems.For(failed.Outcome, failed.Error)
                : TypedResults.NoContent())
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Deletes the version's baseline; drift is no longer measured until a new one is captured.");

        versions.MapGet("/{id}/versions/{version:int}/drift", async Task<Results<Ok<IReadOnlyList<DriftPointDto>>, ProblemHttpResult>> (
            string id, int version, string? deviceId, int? hours, BaselineService baselines, CancellationToken ct) =>
            await baselines.DriftAsync(id, version, deviceId, hours ?? 24, ct) is { Succeeded: true } drift
                ? TypedResults.Ok(drift.Value!)
                : ApiProblems.For(OperationOutcome.NotFound, $"There is no version {version} of model '{id}'."))
            .WithSummary("Drift against the baseline per device over the last hours (1-720, 24 by default), oldest first: PSI per feature and the worst.");

        return endpoints;
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.DataFlows;
using Portal.Shared.Routes;

namespace Portal.Features.DataFlows;

internal static class DataFlowEndpoints
{
    public static IEndpointRouteBuilder MapDataFlowEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var flows = endpoints.MapGroup(ApiRoutes.DataFlows)
            .WithTags("Data flows")
            .RequireAuthorization(PortalPolicies.Read);

        flows.MapGet("/", async (DataFlowService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)));

        flows.MapGet("/{id}", async Task<Results<Ok<DataFlowDto>, ProblemHttpResult>> (string id, DataFlowService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } flow ? TypedResults.Ok(flow) : ApiProblems.For(OperationOutcome.NotFound, $"There is no data flow '{id}'."));

        flows.MapGet("/{id}/versions/{version:int}", async Task<Results<Ok<DataFlowVersionDto>, ProblemHttpResult>> (
            string id, int version, DataFlowService service, CancellationToken ct) =>
            (await service.GetAsync(id, ct))?.Versions.FirstOrDefault(v => v.Version == version) is { } found
                ? TypedResults.Ok(found)
                : ApiProblems.For(OperationOutcome.NotFound, $"There is no version {version} of data flow '{id}'."));

        flows.MapPost("/", async Task<Results<Created<DataFlowDto>, ProblemHttpResult>> (
            CreateDataFlowRequest request, HttpContext context, DataFlowService service, CancellationToken ct) =>
        {
            var result = await service.CreateAsync(request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.DataFlow(result.Value!.Id), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        flows.MapPost("/{id}/versions", async Task<Results<Created<DataFlowVersionDto>, ProblemHttpResult>> (
            string id, AddDataFlowVersionRequest request, HttpContext context, DataFlowService service, CancellationToken ct) =>
        {
            var result = await service.AddVersionAsync(id, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.DataFlowVersion(id, result.Value!.Version), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        flows.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, DataFlowService service, CancellationToken ct) =>
        {
            var result = await service.DeleteAsync(id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);
        return endpoints;
    }
}

using Portal.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Deployments;

internal static class DeploymentEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var deployments = endpoints.MapGroup(ApiRoutes.Deployments)
            .WithTags("Deployments")
            .RequireAuthorization(PortalPolicies.Read);

        deployments.MapGet("/", async (DeploymentService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)));

        deployments.MapGet("/{id}", async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> (string id, DeploymentService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } deployment ? TypedResults.Ok(deployment) : ApiProblems.For(OperationOutcome.NotFound, "There is no such deployment."));

        deployments.MapPost("/", async Task<Results<Created<DeploymentDto>, ProblemHttpResult>> (
            CreateDeploymentRequest request, HttpContext context, DeploymentService service, CancellationToken ct) =>
        {
            var result = await service.CreateAsync(request, AuditActor.From(context), ct);
            if (!result.Succeeded)
            {
                return result.Outcome == OperationOutcome.Conflict && !request.SkipIneligible
                    ? await DeploymentCheckEndpoints.ConflictAsync(request, result.Error, service, ct)
                    : ApiProblems.For(result.Outcome, result.Error);
            }

            var (deployment, created) = result.Value;
            // The same deployment again changes nothing: a conflict that names the deployment already doing it.
            return created
                ? TypedResults.Created(ApiRoutes.Deployment(deployment.Id), deployment)
                : ApiProblems.For(OperationOutcome.Conflict, $"Deployment {deployment.Id} ('{deployment.Name}', {deployment.State}) already deploys exactly this " +
                    $"(same version, targets, strategy and parameters): see {ApiRoutes.Deployment(deployment.Id)}. Change something, or delete or roll back that one first.");
        }).RequireAuthorization(PortalPolicies.Change);

        deployments.MapPost("/{id}/{action:regex(^(pause|resume|abort|rollback)$)}", async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> (
            string id, string action, HttpContext context, DeploymentActions actions, DeploymentService service, CancellationToken ct) =>
        {
            var result = await actions.RunAsync(id, action, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok((await service.GetAsync(id, ct))!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        // Approving a fleet-wide change is an admin's decision, and never the requester's own (Portal:Approvals).
        foreach (var (decision, approve) in new[] { ("approve", true), ("reject", false) })
        {
            deployments.MapPost($"/{{id}}/{decision}", async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> (
                string id, ApprovalDecisionRequest? request, HttpContext context, DeploymentApprovals approvals, DeploymentService service, CancellationToken ct) =>
            {
                var result = await approvals.DecideAsync(id, approve, request?.Note, AuditActor.From(context), ct);
                return result.Succeeded ? TypedResults.Ok((await service.GetAsync(id, ct))!) : ApiProblems.For(result.Outcome, result.Error);
            }).RequireAuthorization(PortalPolicies.Admin);
        }

        deployments.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, DeploymentActions actions, CancellationToken ct) =>
        {
            var result = await actions.DeleteAsync(id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        return endpoints;
    }
}

using Portal.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Deployments;

/// <summary>Update in place (PATCH: the next revision) and its preview (which devices receive, are updated, or lose it).</summary>
internal static class DeploymentUpdateEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentUpdateEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var deployments = endpoints.MapGroup(ApiRoutes.Deployments)
            .WithTags("Deployments")
            .RequireAuthorization(PortalPolicies.Change);

        deployments.MapPatch("/{id}", async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> (
            string id, UpdateDeploymentRequest request, HttpContext context, DeploymentUpdateService updates, DeploymentService service, CancellationToken ct) =>
        {
            var result = await updates.UpdateAsync(id, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(await service.GetAsync(id, ct) ?? result.Value) : ApiProblems.For(result.Outcome, result.Error);
        });

        deployments.MapPost("/{id}/preview", async Task<Results<Ok<DeploymentUpdatePreview>, ProblemHttpResult>> (
            string id, UpdateDeploymentRequest request, DeploymentUpdateService updates, CancellationToken ct) =>
        {
            var result = await updates.PreviewAsync(id, request, ct);
            return result.Succeeded ? TypedResults.Ok(result.Value) : ApiProblems.For(result.Outcome, result.Error);
        });

        return endpoints;
    }
}

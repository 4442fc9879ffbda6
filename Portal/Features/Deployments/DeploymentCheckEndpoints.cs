using Portal.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Shared.Deployments;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Deployments;

internal static class DeploymentCheckEndpoints
{
    /// <summary><c>POST /api/v1/deployments/check</c>: a create's body, answered with what it would do to each target device.</summary>
    public static IEndpointRouteBuilder MapDeploymentCheckEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ApiRoutes.DeploymentCheck, async Task<Results<Ok<DeploymentCheck>, ProblemHttpResult>> (
            CreateDeploymentRequest request, DeploymentService service, CancellationToken ct) =>
        {
            var result = await service.CheckAsync(request, ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        })
            .WithTags("Deployments")
            .WithSummary("Check a deployment before creating it")
            .WithDescription("Takes the body of POST /api/v1/deployments and creates nothing: says how many target devices will receive it and, for each that cannot (no Docker, no GPU, a host port in use, too little disk, another CPU architecture, an agent too old), why. Creating it anyway answers 409 unless skipIneligible is true.")
            .RequireAuthorization(PortalPolicies.Change);
        return endpoints;
    }

    /// <summary>
    /// A create refused as a conflict: when devices that cannot run it are the reason, the problem also lists them
    /// (<c>ineligible</c>, each with its problems) for scripts, besides the sentence in <c>detail</c>.
    /// </summary>
    public static async Task<ProblemHttpResult> ConflictAsync(CreateDeploymentRequest request, string? detail, DeploymentService service, CancellationToken ct)
    {
        var check = await service.CheckAsync(request, ct);
        if (!check.Succeeded || check.Value is not { } found || !found.Ineligible.Any())
        {
            return ApiProblems.For(OperationOutcome.Conflict, detail);
        }

        return TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Some target devices cannot run this",
            extensions: new Dictionary<string, object?> { ["receiving"] = found.Receiving, ["ineligible"] = found.Ineligible.ToList() });
    }
}

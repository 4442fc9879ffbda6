using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Config;
using Portal.Shared.Routes;

namespace Portal.Features.FleetConfig;

/// <summary>Config changes rolling out: list and read (everyone signed in), pause, resume and roll back (operators).</summary>
internal static class ConfigRolloutEndpoints
{
    public static IEndpointRouteBuilder MapConfigRolloutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var rollouts = endpoints.MapGroup(ApiRoutes.ConfigRollouts).WithTags("Configuration").RequireAuthorization(PortalPolicies.Read);

        rollouts.MapGet("/", async (ConfigRolloutService service, CancellationToken ct, int? count) => TypedResults.Ok(await service.ListAsync(count ?? 20, ct)))
            .WithSummary("Config changes rolling out with a strategy, and the latest finished ones, newest first (count: 1-200, default 20)");

        rollouts.MapGet("/{id}", async Task<Results<Ok<ConfigRolloutDto>, ProblemHttpResult>> (string id, ConfigRolloutService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } rollout ? TypedResults.Ok(rollout) : ApiProblems.For(OperationOutcome.NotFound, "There is no such config rollout."))
            .WithSummary("One config rollout with each device's state");

        rollouts.MapPost("/{id}/{action:regex(^(pause|resume|rollback)$)}", async Task<Results<Ok<ConfigRolloutDto>, ProblemHttpResult>> (
            string id, string action, HttpContext context, ConfigRolloutService service, CancellationToken ct) =>
        {
            var result = await service.ActAsync(id, action, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithSummary("Pauses, resumes (accepting the failures so far) or rolls back (the level's values before the change are written back) a config rollout")
            .RequireAuthorization(PortalPolicies.Change);
        return endpoints;
    }
}

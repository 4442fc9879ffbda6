using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Config;
using Portal.Shared.Routes;

namespace Portal.Features.FleetConfig;

/// <summary>
/// Secrets at each level: list names (everyone signed in), set/replace/delete and import (operators), reveal (admins,
/// audited). No route but reveal ever answers with a value.
/// </summary>
internal static class SecretEndpoints
{
    public static IEndpointRouteBuilder MapSecretEndpoints(this IEndpointRouteBuilder endpoints)
    {
        MapLevel(endpoints.MapGroup(ApiRoutes.FleetSecrets), _ => ConfigScope.Fleet);
        MapLevel(endpoints.MapGroup(ApiRoutes.Groups + "/{id}/secrets"), id => ConfigScope.Group(id!));
        MapLevel(endpoints.MapGroup(ApiRoutes.Devices + "/{id}/secrets"), id => ConfigScope.Device(id!));
        return endpoints;
    }

    private static void MapLevel(RouteGroupBuilder level, Func<string?, ConfigScope> scopeOf)
    {
        level.WithTags("Secrets").RequireAuthorization(PortalPolicies.Read);

        level.MapGet("/", async Task<Results<Ok<IReadOnlyList<SecretDto>>, ProblemHttpResult>> (HttpContext context, SecretService service, CancellationToken ct) =>
        {
            var result = await service.ListAsync(scopeOf(ConfigEndpoints.IdOf(context)), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithSummary("The secrets kept at this level: names, kinds and registry servers, never values");

        level.MapPut("/{name}", async Task<Results<Ok<SecretDto>, ProblemHttpResult>> (string name, SaveSecretRequest request, HttpContext context, SecretService service, CancellationToken ct) =>
        {
            var result = await service.SetAsync(scopeOf(ConfigEndpoints.IdOf(context)), name, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithSummary("Sets or replaces a secret (write-only: the answer holds no value)").RequireAuthorization(PortalPolicies.Change);

        level.MapPost("/import", async Task<Results<Ok<ImportSecretsResult>, ProblemHttpResult>> (ImportSecretsRequest request, HttpContext context, SecretService service, CancellationToken ct) =>
        {
            var result = await service.ImportAsync(scopeOf(ConfigEndpoints.IdOf(context)), request.Lines, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithSummary("Sets every KEY=value line as a plain secret, all or nothing").RequireAuthorization(PortalPolicies.Change);

        level.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, HttpContext context, SecretService service, CancellationToken ct) =>
        {
            var result = await service.DeleteAsync(scopeOf(ConfigEndpoints.IdOf(context)), name, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        level.MapPost("/{name}/reveal", async Task<Results<Ok<RevealedSecret>, ProblemHttpResult>> (string name, HttpContext context, SecretService service, CancellationToken ct) =>
        {
            var result = await service.RevealAsync(scopeOf(ConfigEndpoints.IdOf(context)), name, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithSummary("The secret's value (admins; audited)").RequireAuthorization(PortalPolicies.Admin);
    }
}

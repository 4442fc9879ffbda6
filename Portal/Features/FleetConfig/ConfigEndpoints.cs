using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Config;
using Portal.Shared.Routes;

namespace Portal.Features.FleetConfig;

/// <summary>
/// <c>GET/PUT</c> of the config set at each level and a device's effective config. The group and device routes carry
/// the owner's id in their prefix, so one mapping serves all three levels.
/// </summary>
internal static class ConfigEndpoints
{
    public static IEndpointRouteBuilder MapConfigEndpoints(this IEndpointRouteBuilder endpoints)
    {
        MapLevel(endpoints.MapGroup(ApiRoutes.FleetConfig), _ => ConfigScope.Fleet);
        MapLevel(endpoints.MapGroup(ApiRoutes.Groups + "/{id}/config"), id => ConfigScope.Group(id!));
        MapLevel(endpoints.MapGroup(ApiRoutes.Devices + "/{id}/config"), id => ConfigScope.Device(id!));

        endpoints.MapGet(ApiRoutes.Devices + "/{id}/config/effective", async Task<Results<Ok<EffectiveConfigDto>, ProblemHttpResult>> (string id, EffectiveConfigService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { Succeeded: true } result ? TypedResults.Ok(result.Value!) : ApiProblems.For(OperationOutcome.NotFound, "There is no such device."))
            .WithTags("Configuration")
            .WithSummary("The device's config after layering fleet, its groups (by name) and itself, each value with its source")
            .RequireAuthorization(PortalPolicies.Read);
        return endpoints;
    }

    private static void MapLevel(RouteGroupBuilder level, Func<string?, ConfigScope> scopeOf)
    {
        level.WithTags("Configuration").RequireAuthorization(PortalPolicies.Read);

        level.MapGet("/", async Task<Results<Ok<ConfigSetDto>, ProblemHttpResult>> (HttpContext context, ConfigSetService service, CancellationToken ct) =>
        {
            var result = await service.GetAsync(scopeOf(IdOf(context)), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithSummary("The config values and files kept at this level");

        level.MapPut("/", async Task<Results<Ok<ConfigSetDto>, ProblemHttpResult>> (SaveConfigSetRequest request, HttpContext context, ConfigSetService service, CancellationToken ct) =>
        {
            var result = await service.SaveAsync(scopeOf(IdOf(context)), request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithSummary("Replaces the values and files kept at this level (audited with a diff)").RequireAuthorization(PortalPolicies.Change);
    }

    /// <summary>The group's or device's id from the route prefix; null on the fleet's routes.</summary>
    internal static string? IdOf(HttpContext context) => context.Request.RouteValues["id"] as string;
}

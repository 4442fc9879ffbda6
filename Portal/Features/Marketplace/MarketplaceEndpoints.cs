using Portal.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Marketplace;

internal static class MarketplaceEndpoints
{
    public static IEndpointRouteBuilder MapMarketplaceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var apps = endpoints.MapGroup(ApiRoutes.MarketplaceApps)
            .WithTags("Marketplace")
            .RequireAuthorization(PortalPolicies.Read);

        apps.MapGet("/", async (MarketplaceService service, CancellationToken ct, bool includeRetired = false) =>
            TypedResults.Ok(await service.ListAsync(includeRetired, ct)));

        apps.MapGet("/{id}", async Task<Results<Ok<AppDto>, ProblemHttpResult>> (string id, MarketplaceService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } app ? TypedResults.Ok(app) : ApiProblems.For(OperationOutcome.NotFound, "There is no such app."));

        apps.MapPost("/", async Task<Results<Created<AppDto>, ProblemHttpResult>> (AppDefinition definition, HttpContext context, MarketplaceService service, CancellationToken ct) =>
        {
            var result = await service.CreateAsync(definition, certified: false, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.MarketplaceApp(result.Value!.Id), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin).AddOpenApiOperationTransformer(AppUploadOpenApi.AddMultipart);

        // The same route with a stack's compose file or zip beside the JSON: routing picks this one by the request's content type.
        // Described in OpenAPI on the JSON endpoint above, as a second content type of one operation.
        apps.MapPost("/", async Task<Results<Created<AppDto>, ProblemHttpResult>> (HttpContext context, MarketplaceService service, CancellationToken ct) =>
        {
            var upload = await AppUploadReader.ReadAsync(context);
            if (!upload.Succeeded)
            {
                return ApiProblems.For(upload.Outcome, upload.Error);
            }

            var result = await service.CreateAsync(upload.Value, certified: false, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.MarketplaceApp(result.Value!.Id), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin).Accepts<AppDefinition>("multipart/form-data").DisableAntiforgery()
            .RequireRateLimiting(Portal.Security.RateLimits.Uploads).ExcludeFromDescription()
            // A request without a content type fits both; the JSON endpoint answers it, as it did before this one existed.
            .Add(b => ((RouteEndpointBuilder)b).Order = 1);

        apps.MapPut("/{id}", async Task<Results<Ok<AppDto>, ProblemHttpResult>> (string id, AppDefinition definition, HttpContext context, MarketplaceService service, CancellationToken ct) =>
        {
            var result = await service.UpdateAsync(id, definition, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin);

        apps.MapDelete("/{id}", async Task<Results<Ok<AppDto>, ProblemHttpResult>> (string id, HttpContext context, MarketplaceService service, CancellationToken ct) =>
        {
            var result = await service.RetireAsync(id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin);

        apps.MapPost("/{id}/certify", async Task<Results<Ok<AppDto>, ProblemHttpResult>> (
            string id, CertifyRequest? request, HttpContext context, MarketplaceService service, CancellationToken ct) =>
        {
            var result = await service.CertifyAsync(id, request?.Certified ?? true, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin);

        return endpoints;
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Tokens;

namespace Portal.Features.Tokens;

internal static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var tokens = endpoints.MapGroup(ApiRoutes.Tokens)
            .WithTags("Access tokens")
            .RequireAuthorization(PortalPolicies.Read);

        // Your own tokens; an admin may ask for everyone's with ?all=true.
        tokens.MapGet("/", async Task<Results<Ok<IReadOnlyList<AccessTokenDto>>, ProblemHttpResult>> (bool? all, ClaimsPrincipal caller, AccessTokenService service, CancellationToken ct) =>
            all == true && !caller.IsInRole(PortalRoles.Admin)
                ? TypedResults.Problem("Only admins may list everyone's tokens.", statusCode: StatusCodes.Status403Forbidden)
                : TypedResults.Ok(await service.ListAsync(caller.FindFirstValue(ClaimTypes.NameIdentifier)!, all == true, ct)));

        tokens.MapPost("/", async Task<Results<Created<CreatedAccessToken>, ProblemHttpResult>> (CreateAccessTokenRequest request, HttpContext context, AccessTokenService service, CancellationToken ct) =>
        {
            // A token cannot mint tokens: that would let a leaked one outlive its expiry.
            if (context.User.FindFirstValue(PortalClaims.TokenId) is not null)
            {
                return TypedResults.Problem("Access tokens cannot create tokens; sign in as yourself to create one.", statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
            }

            var result = await service.CreateAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.Token(result.Value!.Token.Id), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireRateLimiting(RateLimits.TokenCreation);

        tokens.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, AccessTokenService service, CancellationToken ct) =>
        {
            var result = await service.RevokeAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, context.User.IsInRole(PortalRoles.Admin), id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        });

        return endpoints;
    }
}

using Portal.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Users;

namespace Portal.Features.Users;

internal static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(ApiRoutes.Users)
            .WithTags("Users")
            .RequireAuthorization(PortalPolicies.Admin);

        group.MapGet("/", async (IUserAdminService users, CancellationToken ct) => TypedResults.Ok(await users.ListAsync(ct)));

        group.MapGet("/{id}", async Task<Results<Ok<UserDto>, ProblemHttpResult>> (string id, IUserAdminService users, CancellationToken ct) =>
            await users.GetAsync(id, ct) is { } user ? TypedResults.Ok(user) : ToProblem(UserAdminResult.NotFound()));

        group.MapPost("/", async Task<Results<Created<UserDto>, ProblemHttpResult>> (CreateUserRequest request, HttpContext context, IUserAdminService users, CancellationToken ct) =>
        {
            var result = await users.CreateAsync(request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.User(result.User!.Id), result.User) : ToProblem(result);
        });

        group.MapPut("/{id}", async Task<Results<Ok<UserDto>, ProblemHttpResult>> (string id, UpdateUserRequest request, HttpContext context, IUserAdminService users, CancellationToken ct) =>
        {
            var result = await users.UpdateAsync(id, request, CallerId(context.User), AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.User!) : ToProblem(result);
        });

        group.MapPost("/{id}/password", async Task<Results<NoContent, ProblemHttpResult>> (string id, ResetPasswordRequest request, HttpContext context, IUserAdminService users, CancellationToken ct) =>
        {
            var result = await users.ResetPasswordAsync(id, request.NewPassword, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ToProblem(result);
        });

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, IUserAdminService users, CancellationToken ct) =>
        {
            var result = await users.DeleteAsync(id, CallerId(context.User), AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.NoContent() : ToProblem(result);
        });

        return endpoints;
    }

    private static string CallerId(ClaimsPrincipal caller) => caller.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    private static ProblemHttpResult ToProblem(UserAdminResult result) => ApiProblems.For(result.Outcome, result.Error);
}

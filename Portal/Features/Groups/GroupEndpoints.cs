using Portal.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Groups;

internal static class GroupEndpoints
{
    public static IEndpointRouteBuilder MapGroupEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var groups = endpoints.MapGroup(ApiRoutes.Groups)
            .WithTags("Groups")
            .RequireAuthorization(PortalPolicies.Read);

        groups.MapGet("/", async (GroupService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)));

        groups.MapGet("/{id}", async Task<Results<Ok<GroupDto>, ProblemHttpResult>> (string id, GroupService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } group ? TypedResults.Ok(group) : ApiProblems.For(OperationOutcome.NotFound, "There is no such group."));

        groups.MapPost("/", async Task<Results<Created<GroupDto>, ProblemHttpResult>> (SaveGroupRequest request, HttpContext context, GroupService service, CancellationToken ct) =>
        {
            var result = await service.SaveAsync(null, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Created(ApiRoutes.Group(result.Value!.Id), result.Value) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        groups.MapPut("/{id}", async Task<Results<Ok<GroupDto>, ProblemHttpResult>> (string id, SaveGroupRequest request, HttpContext context, GroupService service, CancellationToken ct) =>
        {
            var result = await service.SaveAsync(id, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        groups.MapGet("/{id}/maintenance-windows", async Task<Results<Ok<IReadOnlyList<MaintenanceWindow>>, ProblemHttpResult>> (string id, GroupService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } group
                ? TypedResults.Ok(group.MaintenanceWindows ?? [])
                : ApiProblems.For(OperationOutcome.NotFound, "There is no such group."));

        groups.MapPut("/{id}/maintenance-windows", async Task<Results<Ok<IReadOnlyList<MaintenanceWindow>>, ProblemHttpResult>> (
            string id, SaveMaintenanceWindowsRequest request, HttpContext context, GroupService service, CancellationToken ct) =>
        {
            var result = await service.SaveWindowsAsync(id, request, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        groups.MapGet("/{id}/delete-preview", async Task<Results<Ok<GroupDeletePreview>, ProblemHttpResult>> (string id, GroupDeletion deletion, CancellationToken ct) =>
            await deletion.PreviewAsync(id, ct) is { } preview ? TypedResults.Ok(preview) : ApiProblems.For(OperationOutcome.NotFound, "There is no such group."))
            .WithSummary("What deleting the group would remove: the deployments that target it and the devices that would lose each workload");

        // Refused with 409 (naming the deployments) while deployments target the group, unless ?force=true confirms it.
        groups.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, bool? force, HttpContext context, GroupDeletion deletion, CancellationToken ct) =>
        {
            var result = await deletion.DeleteAsync(id, force ?? false, AuditActor.From(context), cancellationToken: ct);
            return result.Succeeded ? TypedResults.NoContent() : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        return endpoints;
    }
}

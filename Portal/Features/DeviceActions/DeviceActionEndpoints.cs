using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Devices;
using Portal.Shared.Routes;

namespace Portal.Features.DeviceActions;

internal static class DeviceActionEndpoints
{
    public static IEndpointRouteBuilder MapDeviceActionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var fleet = endpoints.MapGroup(ApiRoutes.DeviceActions).WithTags("Device actions").RequireAuthorization(PortalPolicies.Read);

        fleet.MapGet("/", async (int? count, DeviceActionService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(null, count ?? 100, ct)))
            .WithSummary("The latest remote actions across the fleet, newest first (count: 1-500, 100 by default).");

        fleet.MapPost("/", async Task<Results<Ok<IReadOnlyList<DeviceActionDto>>, ProblemHttpResult>> (
            DeviceActionRequest request, HttpContext context, DeviceActionService service, CancellationToken ct) =>
            Answer(await service.RequestAsync(request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Runs one action (RestartAgent, RebootHost, PruneImages, PrePull with deploymentId) on the devices named; offline devices fail at once unless queueUntilOnline (expiresInMinutes, 60 by default). One row per device.");

        // A request on more devices than Portal:Approvals:DeviceThreshold waits for a second admin; never the one who asked.
        fleet.MapPost("/batches/{batchId}/approve", async Task<Results<Ok<IReadOnlyList<DeviceActionDto>>, ProblemHttpResult>> (
            string batchId, HttpContext context, DeviceActionService service, CancellationToken ct) =>
            Answer(await service.DecideAsync(batchId, approve: true, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Admin)
            .WithSummary("Approves a request for actions that waits for approval (batchId of its rows): each device's action then goes as if asked for now.");

        fleet.MapPost("/batches/{batchId}/reject", async Task<Results<Ok<IReadOnlyList<DeviceActionDto>>, ProblemHttpResult>> (
            string batchId, HttpContext context, DeviceActionService service, CancellationToken ct) =>
            Answer(await service.DecideAsync(batchId, approve: false, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Admin)
            .WithSummary("Rejects a request for actions that waits for approval: none of its actions runs.");

        var device = endpoints.MapGroup(ApiRoutes.Devices).WithTags("Device actions").RequireAuthorization(PortalPolicies.Read);

        device.MapGet("/{id}/actions", async (string id, int? count, DeviceActionService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(id, count ?? 50, ct)))
            .WithSummary("The device's latest remote actions, newest first.");

        device.MapPost("/{id}/actions", async Task<Results<Ok<DeviceActionDto>, ProblemHttpResult>> (
            string id, DeviceActionRequest request, HttpContext context, DeviceActionService service, CancellationToken ct) =>
        {
            var result = await service.RequestAsync(request is null ? null : request with { DeviceIds = [id] }, AuditActor.From(context), ct);
            if (!result.Succeeded && result.Error?.StartsWith("There is no active device", StringComparison.Ordinal) == true)
            {
                return ApiProblems.For(OperationOutcome.NotFound, "There is no such device.");
            }

            return result.Succeeded ? TypedResults.Ok(result.Value![0]) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change)
          .WithSummary("Runs one action on this device (see POST /api/v1/device-actions); deviceIds in the body is ignored.");

        return endpoints;
    }

    private static Results<Ok<IReadOnlyList<DeviceActionDto>>, ProblemHttpResult> Answer(OperationResult<IReadOnlyList<DeviceActionDto>> result) =>
        result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
}

using Portal.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Features.Telemetry;
using Portal.Shared.Telemetry;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Devices;

internal static class DeviceEndpoints
{
    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var tokens = endpoints.MapGroup(ApiRoutes.EnrollmentTokens)
            .WithTags("Enrollment tokens")
            .RequireAuthorization(PortalPolicies.Change);

        tokens.MapGet("/", async (EnrollmentTokenService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)));

        tokens.MapPost("/", async Task<Results<Created<CreatedEnrollmentToken>, ProblemHttpResult>> (
            CreateEnrollmentTokenRequest request, HttpContext context, EnrollmentTokenService service, CancellationToken ct) =>
        {
            var result = await service.CreateAsync(request, AuditActor.From(context), ct);
            return result.Succeeded
                ? TypedResults.Created(ApiRoutes.EnrollmentToken(result.Value!.Token.Id), result.Value)
                : ApiProblems.For(result.Outcome, result.Error);
        });

        tokens.MapDelete("/{id}", async Task<Results<Ok<EnrollmentTokenDto>, ProblemHttpResult>> (string id, HttpContext context, EnrollmentTokenService service, CancellationToken ct) =>
        {
            var result = await service.RevokeAsync(id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        });

        var devices = endpoints.MapGroup(ApiRoutes.Devices)
            .WithTags("Devices")
            .RequireAuthorization(PortalPolicies.Read);

        // ?agentVersion=0.5.2: only the devices whose agent reports that version.
        devices.MapGet("/", async (string? agentVersion, DeviceService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(agentVersion, ct)));

        devices.MapGet("/{id}", async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> (string id, DeviceService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } device ? TypedResults.Ok(device) : ApiProblems.For(OperationOutcome.NotFound, "There is no such device."));

        devices.MapGet("/{id}/telemetry", async Task<Results<Ok<TelemetrySeries>, ProblemHttpResult>> (
            string id, DateTimeOffset? from, DateTimeOffset? to, string? resolution, DeviceService devicesService, TelemetryService telemetry, TimeProvider clock, CancellationToken ct) =>
        {
            if (await devicesService.GetAsync(id, ct) is null)
            {
                return ApiProblems.For(OperationOutcome.NotFound, "There is no such device.");
            }

            var end = to ?? clock.GetUtcNow();
            var start = from ?? end.AddMinutes(-15);
            if (start > end)
            {
                return ApiProblems.For(OperationOutcome.Invalid, "'from' must be before 'to'.");
            }

            return await telemetry.SeriesAsync(id, start, end, resolution, ct) is { } series
                ? TypedResults.Ok(series)
                : ApiProblems.For(OperationOutcome.Invalid, "resolution must be raw, minute or auto.");
        });

        devices.MapGet("/{id}/history", async Task<Results<Ok<IReadOnlyList<DeviceEvent>>, ProblemHttpResult>> (
            string id, int? count, DeviceService service, DeviceEvents events, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } device
                ? TypedResults.Ok(await events.HistoryAsync(id, device.Name, Math.Clamp(count ?? 50, 1, 1000), ct))
                : ApiProblems.For(OperationOutcome.NotFound, "There is no such device."));

        devices.MapPut("/{id}/labels", async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> (string id, SetLabelsRequest request, HttpContext context, DeviceService service, CancellationToken ct) =>
        {
            var result = await service.SetLabelsAsync(id, request.Labels, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        devices.MapDelete("/{id}", async Task<Results<Ok<DeviceDto>, NoContent, ProblemHttpResult>> (
            string id, HttpContext context, DeviceDecommission decommission, CancellationToken ct, bool removeWorkloads = false, bool purge = false) =>
        {
            if (purge)
            {
                var removed = await decommission.RemoveAsync(id, AuditActor.From(context), ct);
                return removed.Succeeded ? TypedResults.NoContent() : ApiProblems.For(removed.Outcome, removed.Error);
            }

            var result = await decommission.DecommissionAsync(id, removeWorkloads, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!.Device) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change)
          .WithSummary("Decommissions the device (its secret stops working); removeWorkloads=true first removes its workloads while it is online (waits up to 60 s). purge=true removes an already decommissioned device with its history and telemetry.");

        // The one anonymous write in the API: the enrollment token in the body is the credential.
        endpoints.MapPost(ApiRoutes.AgentEnroll, async Task<Results<Ok<EnrollResponse>, ProblemHttpResult>> (
            EnrollRequest request, HttpContext context, EnrollmentService service, CancellationToken ct) =>
        {
            var result = await service.EnrollAsync(request, context.Connection.RemoteIpAddress?.ToString(), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).WithTags("Agent").AllowAnonymous().RequireRateLimiting(Portal.Security.RateLimits.Enrollment);

        return endpoints;
    }
}

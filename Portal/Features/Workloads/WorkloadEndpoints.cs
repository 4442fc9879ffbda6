using Portal.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Workloads;

namespace Portal.Features.Workloads;

internal static class WorkloadEndpoints
{
    public static IEndpointRouteBuilder MapWorkloadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup(ApiRoutes.Devices)
            .WithTags("Devices")
            .RequireAuthorization(PortalPolicies.Read);

        devices.MapGet("/{id}/workloads", async Task<Results<Ok<DeviceWorkloads>, ProblemHttpResult>> (
            string id, Devices.DeviceService devices, DesiredStates states, CancellationToken ct) =>
            await devices.GetAsync(id, ct) is null
                ? ApiProblems.For(OperationOutcome.NotFound, "There is no such device.")
                : TypedResults.Ok(await states.WorkloadsAsync(id, ct)));

        devices.MapGet("/{id}/workloads/{name}/logs", async Task<Results<Ok<IReadOnlyList<LogLine>>, ProblemHttpResult>> (
            string id, string name, WorkloadActions actions, CancellationToken ct, int tail = 100) =>
        {
            var result = await actions.TailAsync(id, name, tail, ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        });

        devices.MapPost("/{id}/workloads/{name}/restart", async Task<Results<Accepted, ProblemHttpResult>> (
            string id, string name, HttpContext context, WorkloadActions actions, CancellationToken ct) =>
        {
            var result = await actions.RestartAsync(id, name, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Accepted((string?)null) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        devices.MapPost("/{id}/resync", async Task<Results<Accepted, ProblemHttpResult>> (string id, HttpContext context, WorkloadActions actions, CancellationToken ct) =>
        {
            var result = await actions.ResyncAsync(id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Accepted((string?)null) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Change);

        return endpoints;
    }
}

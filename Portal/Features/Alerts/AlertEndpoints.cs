using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Alerts;
using Portal.Shared.Routes;

namespace Portal.Features.Alerts;

internal static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var rules = endpoints.MapGroup(ApiRoutes.AlertRules).WithTags("Alerts").RequireAuthorization(PortalPolicies.Read);
        rules.MapGet("/", async (AlertRuleService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("Every alert rule, by name, each with what it says in words (description).");
        rules.MapGet("/{id}", async Task<Results<Ok<AlertRuleDto>, ProblemHttpResult>> (string id, AlertRuleService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } rule ? TypedResults.Ok(rule) : ApiProblems.For(OperationOutcome.NotFound, "There is no such alert rule."))
            .WithSummary("One alert rule.");
        rules.MapPost("/", async Task<Results<Ok<AlertRuleDto>, ProblemHttpResult>> (SaveAlertRuleRequest request, HttpContext context, AlertRuleService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.SaveAsync(null, request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Creates a rule: Telemetry (metric), DeviceData (series), DeviceOffline, Workload or Deployment; threshold, clearThreshold, forSeconds, resolveAfterSeconds, severity, scope (groupIds, deviceIds; none: the fleet) and channelIds.");
        rules.MapPut("/{id}", async Task<Results<Ok<AlertRuleDto>, ProblemHttpResult>> (string id, SaveAlertRuleRequest request, HttpContext context, AlertRuleService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.SaveAsync(id, request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Changes a rule (its kind stays); open alerts are judged by what it now says at the next evaluation.");
        rules.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, AlertRuleService service, CancellationToken ct) =>
            await service.DeleteAsync(id, AuditActor.From(context), ct) is { Succeeded: false } failed ? ApiProblems.For(failed.Outcome, failed.Error) : TypedResults.NoContent())
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Deletes a rule with its alerts.");

        var alerts = endpoints.MapGroup(ApiRoutes.Alerts).WithTags("Alerts").RequireAuthorization(PortalPolicies.Read);
        alerts.MapGet("/", async (AlertState? state, AlertSeverity? severity, string? ruleId, string? deviceId, int? count, AlertService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(state, severity, ruleId, deviceId, count ?? 100, ct)))
            .WithSummary("Alerts: firing first, then pending, then resolved, newest first (state, severity, ruleId, deviceId filter; count 1-1000).");
        alerts.MapGet("/counts", async (AlertService service, CancellationToken ct) => TypedResults.Ok(await service.CountsAsync(ct)))
            .WithSummary("How many alerts fire, how many of those nobody acknowledged, and how many are pending.");
        alerts.MapGet("/{id}", async Task<Results<Ok<AlertDto>, ProblemHttpResult>> (long id, AlertService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } alert ? TypedResults.Ok(alert) : ApiProblems.For(OperationOutcome.NotFound, "There is no such alert."))
            .WithSummary("One alert.");
        alerts.MapPost("/{id}/ack", async Task<Results<Ok<AlertDto>, ProblemHttpResult>> (long id, AckAlertRequest request, HttpContext context, AlertService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.AckAsync(id, request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Acknowledges a pending or firing alert with a note (audited); it keeps firing until its value clears.");

        var silences = endpoints.MapGroup(ApiRoutes.AlertSilences).WithTags("Alerts").RequireAuthorization(PortalPolicies.Read);
        silences.MapGet("/", async (SilenceService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("Silences that have not ended, and those that ended in the last day.");
        silences.MapPost("/", async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> (CreateSilenceRequest request, HttpContext context, SilenceService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.CreateAsync(request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Silences alerts of the rules, groups or devices named (none: every alert) until endsAt (at most 30 days): they are recorded, not sent.");
        silences.MapDelete("/{id}", async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> (string id, HttpContext context, SilenceService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.EndAsync(id, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Change)
            .WithSummary("Ends a silence now; alerts it held back that still fire are sent.");

        return endpoints;
    }
}

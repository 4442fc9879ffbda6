using Portal.Security;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Shared.Audit;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Audit;

internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ApiRoutes.Audit, async Task<Results<Ok<AuditEntryPage>, ProblemHttpResult>> (
            string? actor, string? action, string? target, string? from, string? to, string? outcome, int? page, int? pageSize,
            AuditQuery audit, CancellationToken ct) =>
        {
            var (filter, problem) = AuditFilter.Parse(actor, action, target, from, to, outcome);
            problem ??= AuditFilter.PagingProblem(page ?? 1, pageSize ?? 50);
            return problem is null
                ? TypedResults.Ok(await audit.PageAsync(filter!, page ?? 1, pageSize ?? 50, ct))
                : ApiProblems.For(OperationOutcome.Invalid, problem);
        }).WithTags("Audit").RequireAuthorization(PortalPolicies.Admin);

        endpoints.MapGet(ApiRoutes.AuditCsv, async Task<Results<EmptyHttpResult, ProblemHttpResult>> (
            string? actor, string? action, string? target, string? from, string? to, string? outcome,
            HttpContext context, AuditQuery audit, TimeProvider clock, CancellationToken ct) =>
        {
            var (filter, problem) = AuditFilter.Parse(actor, action, target, from, to, outcome);
            if (problem is not null)
            {
                return ApiProblems.For(OperationOutcome.Invalid, problem);
            }

            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
            await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 16 * 1024);
            await audit.WriteCsvAsync(filter!, writer, ct);
            return TypedResults.Empty;
        }).WithTags("Audit").RequireAuthorization(PortalPolicies.Admin);

        return endpoints;
    }
}

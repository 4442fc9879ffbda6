using Portal.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Shared.Security;

namespace Portal.Features.Marketplace;

internal static class AppIconEndpoints
{
    public static IEndpointRouteBuilder MapAppIconEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var icon = endpoints.MapGroup(ApiRoutes.MarketplaceApps + "/{id}/icon")
            .WithTags("Marketplace")
            .RequireAuthorization(PortalPolicies.Read);

        icon.MapGet("/", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string id, HttpContext context, AppIconService icons, CancellationToken ct) =>
        {
            if (await icons.LoadAsync(id, ct) is not { } stored)
            {
                return ApiProblems.For(OperationOutcome.NotFound, "This app has no uploaded icon.");
            }

            // The URL carries the icon's hash (?v=…), so a changed icon has a new URL and this one may be kept.
            context.Response.Headers.CacheControl = "private, max-age=86400";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.File(stored.Bytes, stored.ContentType);
        }).WithSummary("The app's uploaded icon (PNG, JPEG, WebP or GIF).");

        icon.MapPut("/", async Task<Results<Ok<AppDto>, ProblemHttpResult>> (string id, HttpRequest request, HttpContext context, AppIconService icons, CancellationToken ct) =>
        {
            var bytes = await AppIconStore.ReadLimitedAsync(request.Body, ct);
            var result = await icons.SetAsync(id, bytes, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin)
          .Accepts<byte[]>("image/png", "image/jpeg", "image/webp", "image/gif", "application/octet-stream", "*/*")
          .WithSummary("Uploads the app's icon: the image's bytes as the body, at most 256 KiB; the type is judged from the bytes.");

        icon.MapDelete("/", async Task<Results<Ok<AppDto>, ProblemHttpResult>> (string id, HttpContext context, AppIconService icons, CancellationToken ct) =>
        {
            var result = await icons.RemoveAsync(id, AuditActor.From(context), ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : ApiProblems.For(result.Outcome, result.Error);
        }).RequireAuthorization(PortalPolicies.Admin)
          .WithSummary("Removes the app's icon; the generic icon is shown instead.");

        return endpoints;
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Notifications;
using Portal.Shared.Routes;

namespace Portal.Features.Notifications;

internal static class NotificationChannelEndpoints
{
    public static IEndpointRouteBuilder MapNotificationChannelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Operators read channels (alert rules pick them); their URLs may carry tokens, so Viewers do not. Admins change them.
        var group = endpoints.MapGroup(ApiRoutes.NotificationChannels).WithTags("Notifications").RequireAuthorization(PortalPolicies.Change);

        group.MapGet("/", async (NotificationChannelService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("Every notification channel, by name. Secrets are never shown (hasSecret says one is set).");

        group.MapGet("/event-types", () => TypedResults.Ok(FleetEventTypes.All))
            .WithSummary("The fleet events a channel can subscribe to (eventTypes).");

        group.MapGet("/{id}", async Task<Results<Ok<NotificationChannelDto>, ProblemHttpResult>> (string id, NotificationChannelService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } channel ? TypedResults.Ok(channel) : ApiProblems.For(OperationOutcome.NotFound, "There is no such channel."))
            .WithSummary("One notification channel.");

        group.MapGet("/{id}/deliveries", async Task<Results<Ok<IReadOnlyList<DeliveryDto>>, ProblemHttpResult>> (
            string id, int? count, NotificationChannelService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.DeliveriesAsync(id, count ?? 50, ct)))
            .WithSummary("The channel's delivery log, newest first (count: 1-500, 50 by default), each with its attempts.");

        group.MapPost("/", async Task<Results<Ok<CreatedNotificationChannel>, ProblemHttpResult>> (
            SaveNotificationChannelRequest request, HttpContext context, NotificationChannelService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.CreateAsync(request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Admin)
            .WithSummary("Creates a channel: Email (emailTo), Webhook (webhookUrl; the signing secret is generated unless given, and shown this once) or Mqtt (mqtt, mqttPassword).");

        group.MapPut("/{id}", async Task<Results<Ok<NotificationChannelDto>, ProblemHttpResult>> (
            string id, SaveNotificationChannelRequest request, HttpContext context, NotificationChannelService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.UpdateAsync(id, request, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Admin)
            .WithSummary("Changes a channel (its kind stays). A webhookSecret or mqttPassword left out keeps the one set.");

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, NotificationChannelService service, CancellationToken ct) =>
            await service.DeleteAsync(id, AuditActor.From(context), ct) is { Succeeded: false } failed
                ? ApiProblems.For(failed.Outcome, failed.Error)
                : TypedResults.NoContent())
            .RequireAuthorization(PortalPolicies.Admin)
            .WithSummary("Deletes a channel and its delivery log; refused while an alert rule sends through it.");

        group.MapPost("/{id}/secret", async Task<Results<Ok<CreatedNotificationChannel>, ProblemHttpResult>> (
            string id, HttpContext context, NotificationChannelService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.RotateSecretAsync(id, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Admin)
            .WithSummary("Renews a webhook channel's signing secret, shown this once; the old one stops at once.");

        group.MapPost("/{id}/test", async Task<Results<Ok<DeliveryDto>, ProblemHttpResult>> (
            string id, HttpContext context, NotificationChannelService service, CancellationToken ct) =>
            ApiProblems.OkOr(await service.SendTestAsync(id, AuditActor.From(context), ct)))
            .RequireAuthorization(PortalPolicies.Admin)
            .WithSummary("Sends a test notification through the channel within seconds; follow it in the delivery log.");

        return endpoints;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;

namespace Portal.Features.Notifications;

/// <summary>
/// Turns fleet events not yet fanned out into one delivery per enabled channel subscribed to the event's type, and marks
/// them, in one transaction: an event is fanned out once even when two instances try (the mark is conditional).
/// </summary>
public sealed class EventFanOut(IDbContextFactory<PortalDbContext> dbFactory, IOptionsMonitor<PortalOptions> options, TimeProvider clock)
{
    private const int Batch = 200;

    /// <summary>How many events it fanned out (0: none were waiting, or another instance took them).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = await db.FleetEvents.Where(e => e.FannedOutAt == null).OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
        if (events.Count == 0)
        {
            return 0;
        }

        var channels = (await db.NotificationChannels.AsNoTracking().Where(c => c.Enabled).ToListAsync(ct))
            .Where(c => c.EventTypes.Count > 0).ToList();
        var now = clock.GetUtcNow();
        var ids = events.Select(e => e.Id).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var marked = await db.FleetEvents.Where(e => ids.Contains(e.Id) && e.FannedOutAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FannedOutAt, now), ct);
        if (marked != ids.Count)
        {
            return 0;
        }

        foreach (var fleetEvent in events)
        {
            var subscribed = channels.Where(c => c.EventTypes.Contains(fleetEvent.Type, StringComparer.Ordinal)).Select(c => c.Id).ToList();
            if (subscribed.Count > 0)
            {
                NotificationOutbox.Enqueue(db, subscribed, $"event:{fleetEvent.Id}", Content(fleetEvent, options.CurrentValue.Notifications.PortalUrl), now);
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return events.Count;
    }

    /// <summary>The notification of one event: <c>{type, id, at, subject: {kind, id, name}, url, data}</c>, and a one-line e-mail.</summary>
    public static NotificationContent Content(FleetEventRecord fleetEvent, string portalUrl)
    {
        var colon = fleetEvent.Subject.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? fleetEvent.Subject[..colon] : fleetEvent.Subject;
        var id = colon > 0 ? fleetEvent.Subject[(colon + 1)..] : "";
        var url = Link(portalUrl, kind, id);
        var payload = new JsonObject
        {
            ["type"] = fleetEvent.Type,
            ["eventId"] = fleetEvent.Id,
            ["at"] = fleetEvent.At.UtcDateTime,
            ["subject"] = new JsonObject { ["kind"] = kind, ["id"] = id, ["name"] = fleetEvent.SubjectName },
            ["url"] = url,
            ["data"] = JsonNode.Parse(fleetEvent.Data),
        };
        var title = $"{fleetEvent.Type}: {kind} {fleetEvent.SubjectName}";
        var text = $"{title}\nAt {fleetEvent.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\n{fleetEvent.Data}\n{url}\n";
        return new NotificationContent(fleetEvent.Type, title, text, payload.ToJsonString(JsonSerializerOptions.Web));
    }

    /// <summary>The portal page of a subject, for links in messages.</summary>
    public static string Link(string portalUrl, string kind, string id)
    {
        var root = portalUrl.TrimEnd('/');
        var escaped = Uri.EscapeDataString(id);
        return kind switch
        {
            "device" => $"{root}/devices/{escaped}",
            "deployment" => $"{root}/deployments/{escaped}",
            "model" => $"{root}/models/{escaped}",
            "alert" => $"{root}/alerts/{escaped}",
            _ => root,
        };
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Data;

namespace Portal.Features.Notifications;

/// <summary>
/// Records a fleet event (<see cref="Portal.Shared.Notifications.FleetEventTypes"/>) in the caller's context, to be
/// saved with the change it describes: one transaction, so an event is never sent for a change that did not happen,
/// nor lost for one that did. The dispatcher fans it out to the channels subscribed to its type.
/// </summary>
public static class FleetEvents
{
    public static void Add(PortalDbContext db, string type, string subject, string subjectName, JsonObject data, DateTimeOffset at)
    {
        var text = data.ToJsonString(JsonSerializerOptions.Web);
        db.FleetEvents.Add(new FleetEventRecord
        {
            Type = type,
            Subject = subject.Length > 100 ? subject[..100] : subject,
            SubjectName = subjectName.Length > 200 ? subjectName[..200] : subjectName,
            At = at,
            Data = text.Length > 8000 ? "{}" : text,
        });
    }
}

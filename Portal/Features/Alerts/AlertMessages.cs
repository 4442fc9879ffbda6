using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Data;
using Portal.Features.Notifications;
using Portal.Shared.Alerts;
using Portal.Shared.Notifications;

namespace Portal.Features.Alerts;

/// <summary>The notification of an alert firing or resolving: a subject line, a text with the device and links, and the JSON webhooks and MQTT get.</summary>
public static class AlertMessages
{
    public static NotificationContent For(Alert alert, AlertRule rule, string portalUrl)
    {
        var firing = alert.State != AlertState.Resolved;
        var type = firing ? FleetEventTypes.AlertFiring : FleetEventTypes.AlertResolved;
        var root = portalUrl.TrimEnd('/');
        var alertUrl = $"{root}/alerts/{alert.Id}";
        var subjectUrl = EventFanOut.Link(portalUrl, alert.SubjectKind, alert.SubjectId);
        var value = alert.Value is { } v ? Format(v, rule) : "—";
        var subject = $"[{(firing ? "FIRING" : "RESOLVED")}] {rule.Name} on {alert.SubjectName}: {alert.Summary}";
        var text = string.Join('\n',
            firing ? $"{rule.Name} is firing on {alert.SubjectKind} {alert.SubjectName} ({rule.Severity})." : $"{rule.Name} resolved on {alert.SubjectKind} {alert.SubjectName}.",
            alert.Summary,
            $"Rule: {AlertRuleService.Describe(rule)}",
            $"Value: {value}",
            $"Since: {alert.PendingSince.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" + (alert.ResolvedAt is { } r ? $"; resolved {r.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : ""),
            $"{char.ToUpperInvariant(alert.SubjectKind[0])}{alert.SubjectKind[1..]}: {subjectUrl}",
            $"Alert: {alertUrl}",
            "");
        var payload = new JsonObject
        {
            ["type"] = type,
            ["alert"] = new JsonObject
            {
                ["id"] = alert.Id,
                ["state"] = alert.State.ToString(),
                ["severity"] = rule.Severity.ToString(),
                ["rule"] = new JsonObject { ["id"] = rule.Id, ["name"] = rule.Name, ["kind"] = rule.Kind.ToString(), ["description"] = AlertRuleService.Describe(rule) },
                ["subject"] = new JsonObject { ["kind"] = alert.SubjectKind, ["id"] = alert.SubjectId, ["name"] = alert.SubjectName },
                ["value"] = alert.Value,
                ["threshold"] = alert.Threshold,
                ["summary"] = alert.Summary,
                ["pendingSince"] = alert.PendingSince.UtcDateTime,
                ["firedAt"] = alert.FiredAt?.UtcDateTime,
                ["resolvedAt"] = alert.ResolvedAt?.UtcDateTime,
                ["url"] = alertUrl,
                ["subjectUrl"] = subjectUrl,
            },
        };
        return new NotificationContent(type, subject, text, payload.ToJsonString(JsonSerializerOptions.Web));
    }

    public static string Format(double value, AlertRule rule) => rule.Kind switch
    {
        AlertRuleKind.Telemetry => value.ToString("0.#", CultureInfo.InvariantCulture) + AlertRuleChecks.Unit(rule.Metric),
        AlertRuleKind.DeviceOffline => AlertRuleChecks.Duration((int)Math.Max(0, value)) + " offline",
        AlertRuleKind.ModelMetric => value.ToString("0.#", CultureInfo.InvariantCulture) + AlertRuleChecks.Unit(rule.ModelMetric),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}

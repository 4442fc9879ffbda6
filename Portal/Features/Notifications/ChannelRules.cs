using MimeKit;
using Portal.Common;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>What makes a channel valid, each problem as a sentence the operator can act on (null: valid).</summary>
public static class ChannelRules
{
    public static string? Problem(SaveNotificationChannelRequest? request)
    {
        if (request is null)
        {
            return "Send a channel: name, kind (Email, Webhook or Mqtt) and where it delivers.";
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            return "Give the channel a name of 1 to 100 characters.";
        }

        if (PlainText.Problem(name, "channel name") is { } text)
        {
            return text;
        }

        if (!Enum.IsDefined(request.Kind))
        {
            return "The kind must be Email, Webhook or Mqtt.";
        }

        if ((request.EventTypes ?? []).FirstOrDefault(t => !FleetEventTypes.All.Contains(t, StringComparer.Ordinal)) is { } unknown)
        {
            return $"'{unknown}' is not a fleet event; choose from {string.Join(", ", FleetEventTypes.All)}.";
        }

        return request.Kind switch
        {
            ChannelKind.Email => EmailProblem(request.EmailTo),
            ChannelKind.Webhook => WebhookProblem(request.WebhookUrl, request.WebhookSecret),
            _ => MqttProblem(request.Mqtt),
        };
    }

    private static string? EmailProblem(IReadOnlyList<string>? to)
    {
        if (to is not { Count: >= 1 and <= 20 })
        {
            return "An e-mail channel needs 1 to 20 recipient addresses (emailTo).";
        }

        return to.FirstOrDefault(a => string.IsNullOrWhiteSpace(a) || a.Length > 254 || !MailboxAddress.TryParse(a.Trim(), out var m) || !m.Address.Contains('@', StringComparison.Ordinal)) is { } bad
            ? $"'{bad}' is not an e-mail address."
            : null;
    }

    private static string? WebhookProblem(string? url, string? secret)
    {
        if (url is null || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "A webhook channel needs an absolute http:// or https:// URL (webhookUrl) of at most 2000 characters.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Put no user name or password in the webhook URL: the receiver checks the X-Portal-Signature header instead.";
        }

        return secret is { Length: > 0 and (< 16 or > 200) } ? "A webhook secret must be 16 to 200 characters (or leave it empty to have one generated)." : null;
    }

    private static string? MqttProblem(MqttTarget? mqtt)
    {
        if (mqtt is null || string.IsNullOrWhiteSpace(mqtt.Host) || mqtt.Host.Length > 253 || Uri.CheckHostName(mqtt.Host.Trim()) == UriHostNameType.Unknown)
        {
            return "An MQTT channel needs a broker host name or address (mqtt.host).";
        }

        if (mqtt.Port is < 1 or > 65535)
        {
            return "The MQTT port must be between 1 and 65535.";
        }

        if (string.IsNullOrWhiteSpace(mqtt.Topic) || mqtt.Topic.Length > 500 || mqtt.Topic.Contains('+', StringComparison.Ordinal) || mqtt.Topic.Contains('#', StringComparison.Ordinal))
        {
            return "The MQTT topic must be 1 to 500 characters without the wildcards + and #.";
        }

        return mqtt.UserName is { Length: > 200 } ? "The MQTT user name can be at most 200 characters." : null;
    }
}

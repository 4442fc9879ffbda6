using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>POSTs the JSON body, signed (<see cref="WebhookSignature"/>), with the event and delivery ids in headers. Redirects are not followed.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptionsMonitor<PortalOptions> options) : INotificationSender
{
    public const string ClientName = "webhooks";

    public ChannelKind Kind => ChannelKind.Webhook;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, NotificationDelivery delivery, byte[] body, string? secret, CancellationToken ct)
    {
        if (channel.WebhookUrl is null || secret is null)
        {
            return SendOutcome.GiveUp("The channel has no URL or no signing secret; set them and send a test.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.CurrentValue.Notifications.WebhookTimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookHeaders.Signature, WebhookSignature.Sign(body, secret));
        request.Headers.Add(WebhookHeaders.Event, delivery.EventType);
        request.Headers.Add(WebhookHeaders.Delivery, delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.UserAgent.ParseAdd("EdgeAIPortal-Webhook/1");
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return SendOutcome.ForHttpStatus((int)response.StatusCode);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SendOutcome.TryAgain($"No answer within {options.CurrentValue.Notifications.WebhookTimeoutSeconds} s.");
        }
        catch (HttpRequestException ex)
        {
            return SendOutcome.TryAgain($"Could not reach {new Uri(channel.WebhookUrl).GetLeftPart(UriPartial.Authority)}: {ex.Message}");
        }
    }
}

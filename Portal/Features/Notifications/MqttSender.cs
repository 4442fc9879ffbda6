using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Protocol;
using Portal.Data;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>Publishes the JSON body to the channel's topic with QoS 1: connect, publish, disconnect (notifications are rare).</summary>
public sealed class MqttSender : INotificationSender
{
    public ChannelKind Kind => ChannelKind.Mqtt;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, NotificationDelivery delivery, byte[] body, string? secret, CancellationToken ct)
    {
        if (channel.Mqtt is not { } target)
        {
            return SendOutcome.GiveUp("The channel has no broker set.");
        }

        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(target.Host, target.Port)
            .WithClientId($"edge-portal-{Guid.NewGuid():N}")
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithCleanSession();
        if (!string.IsNullOrEmpty(target.UserName))
        {
            options.WithCredentials(target.UserName, secret);
        }

        if (target.UseTls)
        {
            options.WithTlsOptions(tls => tls.UseTls());
        }

        try
        {
            var connected = await client.ConnectAsync(options.Build(), ct);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                return SendOutcome.TryAgain($"The broker refused the connection: {connected.ResultCode} {connected.ReasonString}".TrimEnd());
            }

            var message = new MqttApplicationMessageBuilder().WithTopic(target.Topic).WithPayload(body)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            var published = await client.PublishAsync(message, ct);
            await client.DisconnectAsync(cancellationToken: ct);
            return published.IsSuccess ? SendOutcome.Ok()
                : SendOutcome.TryAgain($"The broker did not accept the message on {target.Topic}: {published.ReasonCode} {published.ReasonString}".TrimEnd());
        }
        catch (MqttConnectingFailedException ex)
        {
            return SendOutcome.TryAgain($"The broker {target.Host}:{target.Port} refused the connection: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Refused connections, timeouts, TLS failures: the broker may be back later.
            return SendOutcome.TryAgain($"Could not reach the broker {target.Host}:{target.Port}: {ex.Message}");
        }
    }
}

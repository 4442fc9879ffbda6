using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Configuration;
using Portal.Data;
using Portal.Shared.Notifications;

namespace Portal.Features.Notifications;

/// <summary>
/// Sends the delivery's subject and text through the SMTP server of <c>Portal:Notifications:Smtp</c> to the channel's
/// addresses. The Message-Id is the delivery's own, so a message resent after a crash is the same message to mail clients.
/// </summary>
public sealed class EmailSender(IOptionsMonitor<PortalOptions> options) : INotificationSender
{
    public ChannelKind Kind => ChannelKind.Email;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, NotificationDelivery delivery, byte[] body, string? secret, CancellationToken ct)
    {
        var settings = options.CurrentValue.Notifications;
        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            return SendOutcome.GiveUp("No SMTP server is set: set Portal:Notifications:Smtp:Host (and its port, security and credentials), then send a test.");
        }

        if (Compose(channel, delivery, settings) is not { } message)
        {
            return SendOutcome.GiveUp($"The sender address '{settings.Smtp.From}' (Portal:Notifications:Smtp:From) is not an e-mail address.");
        }

        using var client = new SmtpClient { Timeout = settings.Smtp.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, Security(settings.Smtp.Security), ct);
            if (settings.Smtp.UserName.Length > 0)
            {
                await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password, ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
            return SendOutcome.Ok();
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            return SendOutcome.GiveUp($"The SMTP server refused the message: {(int)ex.StatusCode} {ex.Message}", (int)ex.StatusCode);
        }
        catch (SmtpCommandException ex)
        {
            return SendOutcome.TryAgain($"The SMTP server asked to try later: {(int)ex.StatusCode} {ex.Message}", (int)ex.StatusCode);
        }
        catch (AuthenticationException ex)
        {
            return SendOutcome.TryAgain($"The SMTP server did not accept Portal:Notifications:Smtp's user name and password: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ProtocolException or SslHandshakeException or TimeoutException
            or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return SendOutcome.TryAgain($"Could not reach the SMTP server {settings.Smtp.Host}:{settings.Smtp.Port}: {ex.Message}");
        }
    }

    /// <summary>The message as sent: From the settings, To the channel's addresses, the delivery's subject and text, a stable Message-Id.</summary>
    public static MimeMessage? Compose(NotificationChannel channel, NotificationDelivery delivery, NotificationOptions settings)
    {
        if (!MailboxAddress.TryParse(settings.Smtp.From, out var from))
        {
            return null;
        }

        var message = new MimeMessage();
        message.From.Add(from);
        foreach (var to in channel.EmailTo)
        {
            if (MailboxAddress.TryParse(to, out var address))
            {
                message.To.Add(address);
            }
        }

        var host = Uri.TryCreate(settings.PortalUrl, UriKind.Absolute, out var portal) ? portal.Host : "portal.local";
        message.MessageId = $"d{delivery.Id}.{channel.Id}@{host}";
        message.Subject = delivery.Subject;
        message.Headers.Add("X-Portal-Event", delivery.EventType);
        message.Body = new TextPart("plain") { Text = delivery.Text };
        return message;
    }

    private static SecureSocketOptions Security(string name) => name switch
    {
        "None" => SecureSocketOptions.None,
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        "Auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}

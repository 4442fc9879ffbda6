using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Notifications;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Notification channels against real receivers: an SMTP server (aiosmtpd) that wants a password and refuses the first
/// two messages, a webhook receiver on 127.0.0.1 that checks signatures and fails on cue, a mosquitto broker. Retries
/// are a second apart here (Portal:Notifications:RetryBaseSeconds = 1).
/// </summary>
public sealed class NotificationChannelTests : IAsyncLifetime
{
    private const string SmtpUser = "portal-mailer";
    private const string SmtpPassword = "smtp-Passw0rd-7";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private SmtpServer? smtp;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        if (SmtpServer.Missing() is null)
        {
            smtp = await SmtpServer.StartAsync(SmtpUser, SmtpPassword, failFirst: 2, ct: ct);
            portal.Settings["Portal:Notifications:Smtp:Host"] = smtp.Host;
            portal.Settings["Portal:Notifications:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            portal.Settings["Portal:Notifications:Smtp:Security"] = "None";
            portal.Settings["Portal:Notifications:Smtp:UserName"] = SmtpUser;
            portal.Settings["Portal:Notifications:Smtp:Password"] = SmtpPassword;
            portal.Settings["Portal:Notifications:Smtp:From"] = "Plant Portal <alerts@plant.example>";
        }

        portal.Settings["Portal:Notifications:RetryBaseSeconds"] = "1";
        portal.Settings["Portal:Notifications:PortalUrl"] = "http://portal.plant.example:8080";
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Email_Test_ArrivesThroughAuthenticatedSmtp_AfterTwoRefusals_Once()
    {
        Assert.SkipWhen(smtp is null, SmtpServer.Missing() ?? "");
        var channel = await CreateAsync(SaveNotificationChannelRequest.Email("night shift", "shift-lead@plant.example", "ops@plant.example"));
        Assert.Null(channel.Secret);

        var test = await TestAsync(channel.Channel.Id);
        var delivery = await WaitForDeliveryAsync(channel.Channel.Id, test.Id, d => d.State == DeliveryState.Succeeded);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(3, delivery.AttemptLog.Count);
        Assert.All(delivery.AttemptLog.Skip(1), a => Assert.Contains("451", a.Error, StringComparison.Ordinal));

        var message = Assert.Single(await smtp!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10), ct));
        Assert.Equal("alerts@plant.example", message.From.Mailboxes.Single().Address);
        Assert.Equal(["shift-lead@plant.example", "ops@plant.example"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal($"d{test.Id}.{channel.Channel.Id}@portal.plant.example", message.MessageId);
        Assert.Contains("night shift", message.Subject, StringComparison.Ordinal);
        Assert.Contains("http://portal.plant.example:8080/notifications", message.TextBody, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.Single(smtp.Messages());
        Assert.DoesNotContain(portal.LogLines, l => l.Contains(SmtpPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_FailingTwice_GetsOneDelivery_Signed_WithTheFailedAttemptsLogged()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 503, 200);
        var created = await CreateAsync(SaveNotificationChannelRequest.Webhook("automation", receiver.Url));
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.True(created.Channel.HasSecret);

        var test = await TestAsync(created.Channel.Id);
        var delivery = await WaitForDeliveryAsync(created.Channel.Id, test.Id, d => d.State == DeliveryState.Succeeded);
        var requests = receiver.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.True(WebhookReceiver.SignatureValid(r, created.Secret!), "every attempt is signed with the channel's secret"));
        Assert.All(requests, r => Assert.Equal(test.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Header(WebhookHeaders.Delivery)));
        Assert.All(requests, r => Assert.Equal(FleetEventTypes.Test, r.Header(WebhookHeaders.Event)));
        using var body = JsonDocument.Parse(requests[0].Body);
        Assert.Equal("test", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(test.Id, body.RootElement.GetProperty("deliveryId").GetInt64());

        Assert.Equal(3, delivery.Attempts);
        Assert.Equal([200, 503, 500], delivery.AttemptLog.Select(a => a.StatusCode));
        Assert.Single(await DeliveriesAsync(created.Channel.Id), d => d.State == DeliveryState.Succeeded);
        Assert.DoesNotContain(portal.LogLines, l => l.Contains(created.Secret!, StringComparison.Ordinal));

        // A renewed secret signs from then on; the old one no longer verifies.
        using var rotate = await admin.PostAsync(ApiRoutes.NotificationChannelSecret(created.Channel.Id), null, ct);
        var renewed = (await rotate.Content.ReadFromJsonAsync<CreatedNotificationChannel>(ct))!;
        Assert.NotEqual(created.Secret, renewed.Secret);
        var second = await TestAsync(created.Channel.Id);
        await WaitForDeliveryAsync(created.Channel.Id, second.Id, d => d.State == DeliveryState.Succeeded);
        var last = receiver.Requests[^1];
        Assert.True(WebhookReceiver.SignatureValid(last, renewed.Secret!));
        Assert.False(WebhookReceiver.SignatureValid(last, created.Secret!));

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?target={AuditTargets.NotificationChannel(created.Channel.Id)}", ct))!.Items;
        Assert.Contains(audit, e => e.Action == AuditActions.NotificationChannelCreated);
        Assert.Contains(audit, e => e.Action == AuditActions.NotificationChannelTested);
        Assert.Contains(audit, e => e.Action == AuditActions.NotificationChannelSecretRotated);
    }

    [Fact]
    public async Task Webhook_Answering400_FailsAtOnce_WithTheReason()
    {
        await using var receiver = await WebhookReceiver.StartAsync(400);
        var created = await CreateAsync(SaveNotificationChannelRequest.Webhook("refusing", receiver.Url));
        var test = await TestAsync(created.Channel.Id);
        var delivery = await WaitForDeliveryAsync(created.Channel.Id, test.Id, d => d.State == DeliveryState.Failed);
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains("400", delivery.LastError, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Webhook_RetryInterruptedByARestart_IsFinishedOnceByTheNextPortal()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 200);
        var first = new PortalFactory();
        first.Settings["Portal:Notifications:RetryBaseSeconds"] = "4";
        DeliveryDto test;
        string channelId;
        using (var firstAdmin = await ApiClient.AdminAsync(first, ct))
        {
            using var response = await firstAdmin.PostAsJsonAsync(ApiRoutes.NotificationChannels, SaveNotificationChannelRequest.Webhook("across restarts", receiver.Url), ct);
            channelId = (await response.Content.ReadFromJsonAsync<CreatedNotificationChannel>(ct))!.Channel.Id;
            using var sent = await firstAdmin.PostAsync(ApiRoutes.NotificationChannelTest(channelId), null, ct);
            test = (await sent.Content.ReadFromJsonAsync<DeliveryDto>(ct))!;
            // The first attempt failed and its retry is due in 4 s: the portal stops before it.
            await WaitForDeliveryAsync(channelId, test.Id, d => d is { State: DeliveryState.Pending, Attempts: 1 }, firstAdmin);
        }

        await using var restarted = new PortalFactory();
        restarted.Settings["Portal:DataDirectory"] = first.DataDirectory;
        await first.StopKeepingDataAsync();
        Assert.Single(receiver.Requests);
        using var again = await ApiClient.AdminAsync(restarted, ct);
        var delivery = await WaitForDeliveryAsync(channelId, test.Id, d => d.State == DeliveryState.Succeeded, again);
        Assert.Equal(2, delivery.Attempts);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.Header(WebhookHeaders.Delivery)).Distinct());
    }

    [Fact]
    public async Task Mqtt_Test_IsPublishedToTheTopic_WithThePasswordKeptSecret()
    {
        Assert.SkipWhen(MosquittoBroker.Missing() is not null, MosquittoBroker.Missing() ?? "");
        await using var broker = await MosquittoBroker.StartAsync(ct);
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithCredentials(MosquittoBroker.User, MosquittoBroker.Password).Build(), ct);
        await subscriber.SubscribeAsync("plant/alerts", cancellationToken: ct);

        var created = await CreateAsync(new SaveNotificationChannelRequest("line mqtt", ChannelKind.Mqtt,
            Mqtt: new MqttTarget("127.0.0.1", broker.Port, "plant/alerts", UserName: MosquittoBroker.User), MqttPassword: MosquittoBroker.Password));
        Assert.True(created.Channel.HasSecret);
        Assert.Null(created.Secret);
        var listed = await admin.GetStringAsync(ApiRoutes.NotificationChannels, ct);
        Assert.DoesNotContain(MosquittoBroker.Password, listed, StringComparison.Ordinal);

        var test = await TestAsync(created.Channel.Id);
        using var payload = JsonDocument.Parse(await received.Task.WaitAsync(TimeSpan.FromSeconds(20), ct));
        Assert.Equal("test", payload.RootElement.GetProperty("type").GetString());
        Assert.Equal(test.Id, payload.RootElement.GetProperty("deliveryId").GetInt64());
        await WaitForDeliveryAsync(created.Channel.Id, test.Id, d => d.State == DeliveryState.Succeeded);
    }

    [Fact]
    public async Task BadChannels_AreRefused_WithAProblemThatSaysWhy()
    {
        await Refused(new SaveNotificationChannelRequest("", ChannelKind.Email, EmailTo: ["a@b.example"]), "name");
        await Refused(SaveNotificationChannelRequest.Email("no one"), "recipient");
        await Refused(SaveNotificationChannelRequest.Email("bad address", "not-an-address"), "not an e-mail address");
        await Refused(SaveNotificationChannelRequest.Webhook("ftp", "ftp://127.0.0.1/x"), "http");
        await Refused(SaveNotificationChannelRequest.Webhook("credentials", "http://user:pw@127.0.0.1/x"), "X-Portal-Signature");
        await Refused(SaveNotificationChannelRequest.Webhook("unknown event", "http://127.0.0.1/x", "device.exploded"), "device.exploded");
        await Refused(new SaveNotificationChannelRequest("wildcard", ChannelKind.Mqtt, Mqtt: new MqttTarget("127.0.0.1", 1883, "plant/#")), "wildcards");

        await CreateAsync(SaveNotificationChannelRequest.Email("taken", "a@plant.example"));
        using var duplicate = await admin.PostAsJsonAsync(ApiRoutes.NotificationChannels, SaveNotificationChannelRequest.Email("taken", "b@plant.example"), ct);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        using var missing = await admin.PostAsync(ApiRoutes.NotificationChannelTest("no-such-channel"), null, ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
        if (smtp is not null)
        {
            await smtp.DisposeAsync();
        }
    }

    private async Task Refused(SaveNotificationChannelRequest request, string says)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.NotificationChannels, request, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<CreatedNotificationChannel> CreateAsync(SaveNotificationChannelRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.NotificationChannels, request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<CreatedNotificationChannel>(ct))!;
    }

    private async Task<DeliveryDto> TestAsync(string channelId)
    {
        using var response = await admin.PostAsync(ApiRoutes.NotificationChannelTest(channelId), null, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<DeliveryDto>(ct))!;
    }

    private async Task<IReadOnlyList<DeliveryDto>> DeliveriesAsync(string channelId, HttpClient? client = null) =>
        (await (client ?? admin).GetFromJsonAsync<List<DeliveryDto>>(ApiRoutes.NotificationChannelDeliveries(channelId), ct))!;

    private async Task<DeliveryDto> WaitForDeliveryAsync(string channelId, long id, Func<DeliveryDto, bool> done, HttpClient? client = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            var delivery = (await DeliveriesAsync(channelId, client)).Single(d => d.Id == id);
            if (done(delivery))
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out; the delivery is {delivery.State} after {delivery.Attempts} attempt(s): {delivery.LastError}");
            await Task.Delay(200, ct);
        }
    }
}

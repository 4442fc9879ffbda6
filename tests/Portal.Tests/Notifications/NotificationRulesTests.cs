using System.Text;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Notifications;
using Portal.Shared.Notifications;

namespace Portal.Tests.Notifications;

public sealed class NotificationRulesTests
{
    [Fact]
    public void Signature_IsHmacSha256OfTheBody_AsLowercaseHex()
    {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(key, body, hashlib.sha256).hexdigest())"
        var signature = WebhookSignature.Sign(Encoding.UTF8.GetBytes("""{"type":"test","deliveryId":7}"""), "whsec_test-secret-0123456789");
        Assert.Equal("sha256=" + Expected, signature);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 30)]
    [InlineData(3, 90)]
    [InlineData(5, 810)]
    [InlineData(8, 3600)]
    public void Retries_WaitThreeTimesLongerEachTime_UpToTheCap(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.After(attempts, new NotificationOptions { RetryBaseSeconds = 10, RetryMaxMinutes = 60 }));

    [Theory]
    [InlineData(200, true, false)]
    [InlineData(204, true, false)]
    [InlineData(301, false, false)]
    [InlineData(400, false, false)]
    [InlineData(404, false, false)]
    [InlineData(408, false, true)]
    [InlineData(429, false, true)]
    [InlineData(500, false, true)]
    [InlineData(503, false, true)]
    public void HttpAnswers_AreSuccess_Retry_OrFinal(int status, bool succeeded, bool retry)
    {
        var outcome = SendOutcome.ForHttpStatus(status);
        Assert.Equal((succeeded, retry, status), (outcome.Succeeded, outcome.Retry, outcome.StatusCode));
    }

    [Fact]
    public void Channels_AreChecked_WithSentences()
    {
        Assert.Null(ChannelRules.Problem(SaveNotificationChannelRequest.Email("ops", "ops@plant.example")));
        Assert.Null(ChannelRules.Problem(SaveNotificationChannelRequest.Webhook("hook", "https://hooks.example/x?token=1", FleetEventTypes.DeviceOffline)));
        Assert.Null(ChannelRules.Problem(new SaveNotificationChannelRequest("mqtt", ChannelKind.Mqtt, Mqtt: new MqttTarget("broker.local", 1883, "plant/alerts"))));
        Assert.Contains("name", ChannelRules.Problem(SaveNotificationChannelRequest.Email(" ", "ops@plant.example")), StringComparison.Ordinal);
        Assert.Contains("1 to 20", ChannelRules.Problem(SaveNotificationChannelRequest.Email("many", [.. Enumerable.Range(0, 21).Select(i => $"o{i}@plant.example")])), StringComparison.Ordinal);
        Assert.Contains("not an e-mail address", ChannelRules.Problem(SaveNotificationChannelRequest.Email("bad", "ops")), StringComparison.Ordinal);
        Assert.Contains("http", ChannelRules.Problem(SaveNotificationChannelRequest.Webhook("relative", "/hook")), StringComparison.Ordinal);
        Assert.Contains("16 to 200", ChannelRules.Problem(new SaveNotificationChannelRequest("short", ChannelKind.Webhook, WebhookUrl: "http://h.example/", WebhookSecret: "short")), StringComparison.Ordinal);
        Assert.Contains("port", ChannelRules.Problem(new SaveNotificationChannelRequest("port", ChannelKind.Mqtt, Mqtt: new MqttTarget("broker", 0, "t"))), StringComparison.Ordinal);
        Assert.Contains("wildcards", ChannelRules.Problem(new SaveNotificationChannelRequest("wild", ChannelKind.Mqtt, Mqtt: new MqttTarget("broker", 1883, "a/+/b"))), StringComparison.Ordinal);
        Assert.Contains("not a fleet event", ChannelRules.Problem(SaveNotificationChannelRequest.Webhook("events", "http://h.example/", "alert.firing")), StringComparison.Ordinal);
    }

    [Fact]
    public void Email_HasTheSettingsSender_TheChannelsRecipients_AndTheDeliverysOwnMessageId()
    {
        var channel = new NotificationChannel { Id = "c1", Name = "ops", Kind = ChannelKind.Email, EmailTo = ["a@plant.example", "b@plant.example"] };
        var delivery = new NotificationDelivery { Id = 42, ChannelId = "c1", SourceKey = "test:1", EventType = "test", Subject = "Hello", Text = "Body text" };
        var message = EmailSender.Compose(channel, delivery, new NotificationOptions { PortalUrl = "https://portal.plant.example", Smtp = new SmtpOptions { From = "Portal <p@plant.example>" } })!;
        Assert.Equal("p@plant.example", message.From.Mailboxes.Single().Address);
        Assert.Equal(["a@plant.example", "b@plant.example"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("d42.c1@portal.plant.example", message.MessageId);
        Assert.Equal(("Hello", "Body text"), (message.Subject, message.TextBody));
        Assert.Null(EmailSender.Compose(channel, delivery, new NotificationOptions { Smtp = new SmtpOptions { From = "not an address" } }));
    }

    [Fact]
    public void Body_IsThePayloadWithTheDeliveryId_EvenWhenThePayloadIsDamaged()
    {
        Assert.Equal("""{"type":"test","deliveryId":7}""", Encoding.UTF8.GetString(DeliveryWorker.Body(new NotificationDelivery { Id = 7, ChannelId = "c", SourceKey = "s", EventType = "test", Subject = "", Payload = """{"type":"test"}""" })));
        Assert.Equal("""{"deliveryId":8}""", Encoding.UTF8.GetString(DeliveryWorker.Body(new NotificationDelivery { Id = 8, ChannelId = "c", SourceKey = "s", EventType = "test", Subject = "", Payload = "{not json" })));
    }

    [Fact]
    public void EventLinks_PointAtTheSubjectsPage()
    {
        Assert.Equal("https://p.example/devices/a%2Fb", EventFanOut.Link("https://p.example/", "device", "a/b"));
        Assert.Equal("https://p.example/deployments/d1", EventFanOut.Link("https://p.example", "deployment", "d1"));
        Assert.Equal("https://p.example", EventFanOut.Link("https://p.example", "other", "x"));
    }

    private const string Expected = "8ca38e0491256bbd5cef7d771eea44379729bc21aa8e3d9da38a294892bead15";
}

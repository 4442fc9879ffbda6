using System.Globalization;
using System.Net.Http.Json;
using MimeKit;
using Portal.Features.Audit;
using Portal.Shared.Alerts;
using Portal.Shared.Audit;
using Portal.Shared.Notifications;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Alerts for real, end to end: a real agent process whose CPU counters come from a /proc folder the test writes
/// (<c>Agent:ProcDirectory</c>), telemetry every second, a CPU rule "above 80 % for 3 s, clears at 60 %", and e-mail
/// through a real SMTP server (aiosmtpd). The FIRING message arrives with the device's name and link, the alert is
/// acknowledged, the CPU falls and one RESOLVED message arrives; then the agent is killed and an offline rule fires and
/// resolves when it is back. Exactly one message per transition.
/// </summary>
public sealed class AlertEmailTests : IAsyncLifetime
{
    private const string PortalUrl = "https://portal.plant.example/";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-alert-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeProc proc = new(busyPercent: 95);
    private SmtpServer? smtp;
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        if (SmtpServer.Missing() is not null)
        {
            return;
        }

        smtp = await SmtpServer.StartAsync(ct: ct);
        portal.Settings["Portal:Notifications:Smtp:Host"] = smtp.Host;
        portal.Settings["Portal:Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
        portal.Settings["Portal:Notifications:Smtp:Security"] = "None";
        portal.Settings["Portal:Alerts:EvaluateSeconds"] = "1";
        portal.Settings["Portal:Notifications:PortalUrl"] = PortalUrl;
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task CpuRule_FiresOnARealAgent_EmailsOnce_Acknowledged_ResolvesOnce_ThenOfflineFiresAndResolves()
    {
        Assert.SkipWhen(smtp is null, SmtpServer.Missing() ?? "");
        using var created = await admin.PostAsJsonAsync(ApiRoutes.NotificationChannels, SaveNotificationChannelRequest.Email("line 3 on call", "line3@plant.example"), ct);
        var channel = (await created.Content.ReadFromJsonAsync<CreatedNotificationChannel>(ct))!.Channel.Id;
        var cpuRule = await RuleAsync(SaveAlertRuleRequest.ForTelemetry("hot CPU", TelemetryMetric.CpuPercent, 80, 60, 3, channel) with { ResolveAfterSeconds = 2, Severity = AlertSeverity.Critical });

        var environment = DeploymentTests.AgentEnvironment();
        environment["Agent__ProcDirectory"] = proc.Folder;
        environment["Agent__TelemetryIntervalSeconds"] = "1";
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "press-7", ct);
        var agent = AgentProcess.Start(environment, "--portal", address.ToString(), "--enroll", token, "--data-dir", agentData, "--name", "press-7");
        string device;
        try
        {
            device = await agent.WaitUntilOnlineAsync(admin, "press-7", ct);
            var firing = (await smtp!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(60), ct))[0];
            Assert.StartsWith("[FIRING] hot CPU on press-7", firing.Subject, StringComparison.Ordinal);
            Assert.Contains($"{PortalUrl}devices/{device}", firing.TextBody, StringComparison.Ordinal);
            Assert.Equal("line3@plant.example", firing.To.Mailboxes.Single().Address);

            var alert = Assert.Single((await admin.GetFromJsonAsync<AlertPage>($"{ApiRoutes.Alerts}?state=Firing&ruleId={cpuRule.Id}", ct))!.Items);
            Assert.Equal((device, AlertSeverity.Critical), (alert.DeviceId, alert.Severity));
            Assert.InRange(alert.Value!.Value, 80.1, 100);
            Assert.Contains($"{PortalUrl}alerts/{alert.Id}", firing.TextBody, StringComparison.Ordinal);
            Assert.Equal(new AlertCounts(1, 1, 0), await admin.GetFromJsonAsync<AlertCounts>(ApiRoutes.AlertCounts, ct));
            using (var ack = await admin.PostAsJsonAsync(ApiRoutes.AlertAck(alert.Id), new AckAlertRequest("fan replaced at 14:00"), ct))
            {
                Assert.True(ack.IsSuccessStatusCode, await ack.Content.ReadAsStringAsync(ct));
            }

            Assert.Equal(new AlertCounts(1, 0, 0), await admin.GetFromJsonAsync<AlertCounts>(ApiRoutes.AlertCounts, ct));
            var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.AlertAcknowledged}", ct))!.Items;
            Assert.Contains(audit, e => e.Target == AuditTargets.Alert(alert.Id) && e.Detail == "fan replaced at 14:00");

            proc.BusyPercent = 5;
            var resolved = (await smtp.WaitForMessagesAsync(2, TimeSpan.FromSeconds(60), ct))[1];
            Assert.StartsWith("[RESOLVED] hot CPU on press-7", resolved.Subject, StringComparison.Ordinal);
            Assert.Equal(AlertState.Resolved, (await admin.GetFromJsonAsync<AlertDto>(ApiRoutes.Alert(alert.Id), ct))!.State);

            await RuleAsync(SaveAlertRuleRequest.ForOffline("press offline", 2, channel));
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            Assert.Equal(2, smtp.Messages().Count);
            await agent.TerminateAsync(ct);
        }
        finally
        {
            await agent.DisposeAsync();
        }

        var offline = (await smtp.WaitForMessagesAsync(3, TimeSpan.FromSeconds(60), ct))[2];
        Assert.StartsWith("[FIRING] press offline on press-7", offline.Subject, StringComparison.Ordinal);
        await using (var back = AgentProcess.Start(environment, "--portal", address.ToString(), "--data-dir", agentData))
        {
            await back.WaitUntilOnlineAsync(admin, "press-7", ct);
            var online = (await smtp.WaitForMessagesAsync(4, TimeSpan.FromSeconds(60), ct))[3];
            Assert.StartsWith("[RESOLVED] press offline on press-7", online.Subject, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(4), ct);
        }

        var all = smtp.Messages();
        Assert.Equal(4, all.Count);
        Assert.Equal(4, all.Select(m => m.MessageId).Distinct().Count());
    }

    public async ValueTask DisposeAsync()
    {
        await proc.DisposeAsync();
        admin?.Dispose();
        await portal.DisposeAsync();
        if (smtp is not null)
        {
            await smtp.DisposeAsync();
        }

        if (Directory.Exists(agentData))
        {
            Directory.Delete(agentData, recursive: true);
        }
    }

    private async Task<AlertRuleDto> RuleAsync(SaveAlertRuleRequest request)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.AlertRules, request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<AlertRuleDto>(ct))!;
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Data;
using Portal.Features.Alerts;
using Portal.Shared.Alerts;
using Portal.Shared.Notifications;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Alert evaluation on the real database (SQLite, and PostgreSQL when the suite runs on it), driven by hand: telemetry
/// rows are stored as the writer would store them, and each test runs the evaluation passes itself (the background
/// evaluator is taken out). What is checked is the outbox: exactly the notifications that must be sent, once.
/// </summary>
public sealed class AlertEvaluationTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly List<PortalFactory> portals = [];
    private readonly FailNextNotification failures = new();
    // Whole seconds: times come back through JSON at millisecond precision.
    private readonly DateTimeOffset t0 = new DateTimeOffset(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(-20);
    private PortalFactory portal = default!;
    private HttpClient admin = default!;
    private string device = "";
    private string channel = "";
    private long sequence;

    public async ValueTask InitializeAsync()
    {
        portal = Start(new PortalFactory());
        admin = await ApiClient.AdminAsync(portal, ct);
        device = (await ApiClient.EnrollDeviceAsync(admin, "press-12", ct)).DeviceId;
        using var created = await admin.PostAsJsonAsync(ApiRoutes.NotificationChannels, SaveNotificationChannelRequest.Email("on call", "oncall@plant.example"), ct);
        channel = (await created.Content.ReadFromJsonAsync<CreatedNotificationChannel>(ct))!.Channel.Id;
    }

    [Fact]
    public async Task HeldBreach_FiresOnce_FlappingSendsNothingMore_ClearResolvesOnce()
    {
        var rule = await CpuRuleAsync();
        await SamplesAsync((0, 90), (10, 90), (20, 95));
        await RunAsync();
        var pending = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Pending, 95.0), (pending.State, pending.Value));
        Assert.Empty(await OutboxAsync());

        await SamplesAsync((30, 90), (40, 70), (50, 85), (60, 65));
        await RunAsync();
        var firing = Assert.Single(await AlertsAsync());
        Assert.Equal(AlertState.Firing, firing.State);
        Assert.Equal(t0.AddSeconds(30), firing.FiredAt);
        Assert.Equal("press-12", firing.SubjectName);
        var fired = Assert.Single(await OutboxAsync());
        Assert.Equal($"alert:{firing.Id}:Firing", fired.SourceKey);
        Assert.Contains("[FIRING]", fired.Subject, StringComparison.Ordinal);
        Assert.Contains("press-12", fired.Subject, StringComparison.Ordinal);
        Assert.Contains($"/devices/{device}", fired.Text, StringComparison.Ordinal);
        Assert.Contains($"/alerts/{firing.Id}", fired.Text, StringComparison.Ordinal);

        await SamplesAsync((70, 50), (75, 55), (85, 50));
        await RunAsync();
        await RunAsync(full: true);
        var resolved = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Resolved, t0.AddSeconds(85)), (resolved.State, resolved.ResolvedAt));
        Assert.Equal([$"alert:{firing.Id}:Firing", $"alert:{firing.Id}:Resolved"], (await OutboxAsync()).Select(d => d.SourceKey));
        Assert.Equal(rule.Id, resolved.RuleId);
    }

    [Fact]
    public async Task Silence_HoldsTheFiringBack_UntilItEnds_AckKeepsItFiring()
    {
        await CpuRuleAsync();
        using var silenced = await admin.PostAsJsonAsync(ApiRoutes.AlertSilences,
            new CreateSilenceRequest(DateTimeOffset.UtcNow.AddHours(1), "replacing the press's fan", DeviceIds: [device]), ct);
        var silence = (await silenced.Content.ReadFromJsonAsync<SilenceDto>(ct))!;
        Assert.True(silence.Active);

        await SamplesAsync((0, 95), (40, 95));
        await RunAsync();
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Firing, true), (alert.State, alert.Silenced));
        Assert.Empty(await OutboxAsync());

        using (var ack = await admin.PostAsJsonAsync(ApiRoutes.AlertAck(alert.Id), new AckAlertRequest("Maria is on it"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        using (var again = await admin.PostAsJsonAsync(ApiRoutes.AlertAck(alert.Id), new AckAlertRequest("me too"), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await SamplesAsync((50, 96));
        await RunAsync();
        alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Firing, "Maria is on it"), (alert.State, alert.AckNote));
        Assert.Empty(await OutboxAsync());

        using (var end = await admin.DeleteAsync(ApiRoutes.AlertSilence(silence.Id), ct))
        {
            Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        }

        await RunAsync();
        await RunAsync();
        Assert.Equal([$"alert:{alert.Id}:Firing"], (await OutboxAsync()).Select(d => d.SourceKey));
        Assert.False(Assert.Single(await AlertsAsync()).Silenced);
    }

    [Fact]
    public async Task EvaluatorRestartedInTheMiddle_NeitherRepeatsNorLosesANotification()
    {
        await CpuRuleAsync();
        await SamplesAsync((0, 95), (10, 95), (20, 95), (30, 95), (40, 95));
        await RunAsync();
        Assert.Equal(AlertState.Firing, Assert.Single(await AlertsAsync()).State);

        var restarted = new PortalFactory();
        restarted.Settings["Portal:DataDirectory"] = portal.DataDirectory;
        await portal.StopKeepingDataAsync();
        portal = Start(restarted);
        admin.Dispose();
        admin = await ApiClient.AdminAsync(portal, ct);
        await RunAsync(full: true);
        await SamplesAsync((50, 95), (60, 40), (70, 40), (80, 40), (90, 40));
        await RunAsync();
        await RunAsync(full: true);

        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal([$"alert:{alert.Id}:Firing", $"alert:{alert.Id}:Resolved"], (await OutboxAsync()).Select(d => d.SourceKey));
    }

    [Fact]
    public async Task TwoInstancesEvaluatingAtOnce_SendOneFiringAndOneResolution()
    {
        await CpuRuleAsync();
        var other = new PortalFactory();
        other.Settings["Portal:DataDirectory"] = portal.DataDirectory;
        Start(other);
        using (await ApiClient.AdminAsync(other, ct))
        {
        }

        var evaluations = new[] { portal, other }.Select(p => p.Services.GetRequiredService<AlertEvaluation>()).ToList();
        async Task BothAsync()
        {
            // Each instance several times, all at once: whoever commits first wins, the others change nothing.
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => evaluations[i % 2].RunOnceAsync([device], i % 3 == 0, ct), ct)));
        }

        await SamplesAsync((0, 95), (20, 95), (40, 95));
        await BothAsync();
        await BothAsync();
        await SamplesAsync((50, 30), (60, 30), (70, 30));
        await BothAsync();
        await BothAsync();

        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal([$"alert:{alert.Id}:Firing", $"alert:{alert.Id}:Resolved"], (await OutboxAsync()).Select(d => d.SourceKey));
    }

    [Fact]
    public async Task ACommitFailingOnce_IsJudgedAgain_WithoutDuplicatesOrSkippedSamples()
    {
        await CpuRuleAsync();
        await SamplesAsync((0, 95), (40, 95));
        failures.Arm();
        await Assert.ThrowsAsync<IOException>(() => RunAsync());
        Assert.Empty(await AlertsAsync());
        Assert.Empty(await OutboxAsync());

        await RunAsync();
        await RunAsync();
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Firing, t0.AddSeconds(40)), (alert.State, alert.FiredAt));
        Assert.Single(await OutboxAsync());
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        Assert.Equal(sequence, (await db.AlertCursors.SingleAsync(c => c.DeviceId == device, ct)).LastSequence);
    }

    [Fact]
    public async Task WorkloadRule_FiresForAFailedOrRestartingWorkload_OnAnOnlineDevice_AndResolvesWhenAllRun()
    {
        using (var created = await admin.PostAsJsonAsync(ApiRoutes.AlertRules,
            new SaveAlertRuleRequest("workloads down", AlertRuleKind.Workload, Threshold: 5, ForSeconds: 0, ChannelIds: [channel]), ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        }

        await ReportAsync(online: true, Workload("camera", WorkloadState.Running, restarts: 7), Workload("counter", WorkloadState.Running));
        await RunAsync();
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal(AlertState.Firing, alert.State);
        Assert.Contains("camera restarted 7 times", alert.Summary, StringComparison.Ordinal);

        // Offline, its last report is stale: the alert stays as it was.
        await ReportAsync(online: false, Workload("camera", WorkloadState.Running), Workload("counter", WorkloadState.Running));
        await RunAsync();
        Assert.Equal(AlertState.Firing, Assert.Single(await AlertsAsync()).State);

        await ReportAsync(online: true, Workload("camera", WorkloadState.Running), Workload("counter", WorkloadState.Failed, reason: "exited with code 2"));
        await RunAsync();
        alert = Assert.Single(await AlertsAsync());
        Assert.Contains("counter Failed (exited with code 2)", alert.Summary, StringComparison.Ordinal);

        await ReportAsync(online: true, Workload("camera", WorkloadState.Running), Workload("counter", WorkloadState.Running));
        await RunAsync();
        Assert.Equal(AlertState.Resolved, Assert.Single(await AlertsAsync()).State);
        Assert.Equal([$"alert:{alert.Id}:Firing", $"alert:{alert.Id}:Resolved"], (await OutboxAsync()).Select(d => d.SourceKey));
    }

    private static WorkloadStatus Workload(string name, WorkloadState state, int restarts = 0, string? reason = null) =>
        new(name, "dep-1", "hash", state, reason, "local/busybox:1", null, null, restarts, null, null);

    private async Task ReportAsync(bool online, params WorkloadStatus[] workloads)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        // Connected to this (live) instance, as the hub would record it, so offline detection leaves it alone.
        var instance = online ? portal.Services.GetRequiredService<Portal.Features.Cluster.PortalInstanceIdentity>().Id : null;
        await db.Devices.Where(d => d.Id == device).ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectedInstance, instance), ct);
        var state = await db.DesiredStates.FirstOrDefaultAsync(s => s.DeviceId == device, ct) ?? db.DesiredStates.Add(new DeviceDesiredState { DeviceId = device }).Entity;
        (state.Reported, state.ReportedAt) = ([.. workloads], DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(ct);
    }

    [Fact]
    public async Task AFiringTelemetryAlert_ResolvesWhenItsDeviceIsDecommissioned()
    {
        using (var created = await admin.PostAsJsonAsync(ApiRoutes.AlertRules, SaveAlertRuleRequest.ForTelemetry("hot and gone", TelemetryMetric.CpuPercent, 80, 60, 0, channel), ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        }

        await SamplesAsync((0, 95));
        await RunAsync();
        Assert.Equal(AlertState.Firing, Assert.Single(await AlertsAsync()).State);

        using (var decommission = await admin.DeleteAsync(ApiRoutes.Device(device), ct))
        {
            Assert.True(decommission.IsSuccessStatusCode, await decommission.Content.ReadAsStringAsync(ct));
        }

        await RunAsync(full: true);
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal([$"alert:{alert.Id}:Firing", $"alert:{alert.Id}:Resolved"], (await OutboxAsync()).Select(d => d.SourceKey));
    }

    [Fact]
    public async Task BadRules_AreRefused_WithAProblemThatSaysWhy()
    {
        await Refused(SaveAlertRuleRequest.ForTelemetry("", TelemetryMetric.CpuPercent, 90, 70, 60), "name");
        await Refused(new SaveAlertRuleRequest("no metric", AlertRuleKind.Telemetry, Threshold: 90), "metric");
        await Refused(SaveAlertRuleRequest.ForTelemetry("upside down", TelemetryMetric.CpuPercent, 90, 95, 60), "clear threshold");
        await Refused(SaveAlertRuleRequest.ForTelemetry("no channel", TelemetryMetric.CpuPercent, 90, 70, 60, "no-such-channel"), "no-such-channel");
        await Refused(new SaveAlertRuleRequest("no series", AlertRuleKind.DeviceData, Threshold: 1), "series");
        await Refused(SaveAlertRuleRequest.ForOffline("forever", 10_000_000), "604800");
        using var silence = await admin.PostAsJsonAsync(ApiRoutes.AlertSilences, new CreateSilenceRequest(DateTimeOffset.UtcNow.AddDays(40), "too long"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, silence.StatusCode);
        Assert.Contains("30 days", (await silence.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A channel an alert rule sends through cannot be deleted.
        await CpuRuleAsync();
        using var delete = await admin.DeleteAsync(ApiRoutes.NotificationChannel(channel), ct);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("hot press", (await delete.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        foreach (var started in portals)
        {
            await started.DisposeAsync();
        }
    }

    private PortalFactory Start(PortalFactory factory)
    {
        factory.TestServices.Add(services =>
        {
            services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(AlertEvaluator)));
            services.ConfigureDbContext<PortalDbContext>((_, o) => o.AddInterceptors(failures));
        });
        portals.Add(factory);
        return factory;
    }

    private async Task<AlertRuleDto> CpuRuleAsync()
    {
        var request = SaveAlertRuleRequest.ForTelemetry("hot press", TelemetryMetric.CpuPercent, 80, 60, 30, channel) with { ResolveAfterSeconds = 10 };
        using var response = await admin.PostAsJsonAsync(ApiRoutes.AlertRules, request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<AlertRuleDto>(ct))!;
    }

    private async Task Refused(SaveAlertRuleRequest request, string says)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.AlertRules, request, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(says, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task SamplesAsync(params (int Seconds, double Cpu)[] samples)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        foreach (var (seconds, cpu) in samples)
        {
            db.Telemetry.Add(new TelemetryRecord { DeviceId = device, Sequence = ++sequence, At = t0.AddSeconds(seconds), CpuPercent = cpu, MemoryTotalBytes = 1000, MemoryUsedBytes = 500 });
        }

        await db.SaveChangesAsync(ct);
    }

    private Task RunAsync(bool full = false) => portal.Services.GetRequiredService<AlertEvaluation>().RunOnceAsync([device], full, ct);

    private async Task<IReadOnlyList<AlertDto>> AlertsAsync() => (await admin.GetFromJsonAsync<AlertPage>($"{ApiRoutes.Alerts}?deviceId={device}", ct))!.Items;

    private async Task<List<NotificationDelivery>> OutboxAsync()
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        return await db.NotificationDeliveries.AsNoTracking().Where(d => d.SourceKey.StartsWith("alert:")).OrderBy(d => d.Id).ToListAsync(ct);
    }

    /// <summary>The next save that queues a notification fails as a full disk would, once.</summary>
    private sealed class FailNextNotification : SaveChangesInterceptor
    {
        private int armed;

        public void Arm() => armed = 1;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context?.ChangeTracker.Entries<NotificationDelivery>().Any(e => e.State == EntityState.Added) == true && Interlocked.Exchange(ref armed, 0) == 1)
            {
                throw new IOException("No space left on device");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}

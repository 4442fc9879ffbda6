using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Alerts;
using Portal.Shared.Alerts;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Alert evaluation on the real database (SQLite, and PostgreSQL when the suite runs on it), driven by hand (see
/// <see cref="AlertBench"/>). What is checked is the outbox: exactly the notifications that must be sent, once.
/// </summary>
public sealed class AlertEvaluationTests : AlertBench
{
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
        Assert.Equal(T0.AddSeconds(30), firing.FiredAt);
        Assert.Equal("press-12", firing.SubjectName);
        var fired = Assert.Single(await OutboxAsync());
        Assert.Equal($"alert:{firing.Id}:Firing", fired.SourceKey);
        Assert.Contains("[FIRING]", fired.Subject, StringComparison.Ordinal);
        Assert.Contains("press-12", fired.Subject, StringComparison.Ordinal);
        Assert.Contains($"/devices/{DeviceId}", fired.Text, StringComparison.Ordinal);
        Assert.Contains($"/alerts/{firing.Id}", fired.Text, StringComparison.Ordinal);

        await SamplesAsync((70, 50), (75, 55), (85, 50));
        await RunAsync();
        await RunAsync(full: true);
        var resolved = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Resolved, T0.AddSeconds(85)), (resolved.State, resolved.ResolvedAt));
        Assert.Equal([$"alert:{firing.Id}:Firing", $"alert:{firing.Id}:Resolved"], (await OutboxAsync()).Select(d => d.SourceKey));
        Assert.Equal(rule.Id, resolved.RuleId);
    }

    [Fact]
    public async Task Silence_HoldsTheFiringBack_UntilItEnds_AckKeepsItFiring()
    {
        await CpuRuleAsync();
        using var silenced = await Admin.PostAsJsonAsync(ApiRoutes.AlertSilences,
            new CreateSilenceRequest(DateTimeOffset.UtcNow.AddHours(1), "replacing the press's fan", DeviceIds: [DeviceId]), Ct);
        var silence = (await silenced.Content.ReadFromJsonAsync<SilenceDto>(Ct))!;
        Assert.True(silence.Active);

        await SamplesAsync((0, 95), (40, 95));
        await RunAsync();
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Firing, true), (alert.State, alert.Silenced));
        Assert.Empty(await OutboxAsync());

        using (var ack = await Admin.PostAsJsonAsync(ApiRoutes.AlertAck(alert.Id), new AckAlertRequest("Maria is on it"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        using (var again = await Admin.PostAsJsonAsync(ApiRoutes.AlertAck(alert.Id), new AckAlertRequest("me too"), Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await SamplesAsync((50, 96));
        await RunAsync();
        alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Firing, "Maria is on it"), (alert.State, alert.AckNote));
        Assert.Empty(await OutboxAsync());

        using (var end = await Admin.DeleteAsync(ApiRoutes.AlertSilence(silence.Id), Ct))
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
        restarted.Settings["Portal:DataDirectory"] = Factory.DataDirectory;
        await Factory.StopKeepingDataAsync();
        Factory = Start(restarted);
        Admin.Dispose();
        Admin = await ApiClient.AdminAsync(Factory, Ct);
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
        other.Settings["Portal:DataDirectory"] = Factory.DataDirectory;
        Start(other);
        using (await ApiClient.AdminAsync(other, Ct))
        {
        }

        var evaluations = new[] { Factory, other }.Select(p => p.Services.GetRequiredService<AlertEvaluation>()).ToList();
        async Task BothAsync()
        {
            // Each instance several times, all at once: whoever commits first wins, the others change nothing.
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => evaluations[i % 2].RunOnceAsync([DeviceId], i % 3 == 0, Ct), Ct)));
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
        Failures.Arm();
        await Assert.ThrowsAsync<IOException>(() => RunAsync());
        Assert.Empty(await AlertsAsync());
        Assert.Empty(await OutboxAsync());

        await RunAsync();
        await RunAsync();
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertState.Firing, T0.AddSeconds(40)), (alert.State, alert.FiredAt));
        Assert.Single(await OutboxAsync());
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(Sequence, (await db.AlertCursors.SingleAsync(c => c.DeviceId == DeviceId, Ct)).LastSequence);
    }

    [Fact]
    public async Task AFiringTelemetryAlert_ResolvesWhenItsDeviceIsDecommissioned()
    {
        using (var created = await Admin.PostAsJsonAsync(ApiRoutes.AlertRules, SaveAlertRuleRequest.ForTelemetry("hot and gone", TelemetryMetric.CpuPercent, 80, 60, 0, ChannelId), Ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        }

        await SamplesAsync((0, 95));
        await RunAsync();
        Assert.Equal(AlertState.Firing, Assert.Single(await AlertsAsync()).State);

        using (var decommission = await Admin.DeleteAsync(ApiRoutes.Device(DeviceId), Ct))
        {
            Assert.True(decommission.IsSuccessStatusCode, await decommission.Content.ReadAsStringAsync(Ct));
        }

        await RunAsync(full: true);
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal([$"alert:{alert.Id}:Firing", $"alert:{alert.Id}:Resolved"], (await OutboxAsync()).Select(d => d.SourceKey));
    }
}

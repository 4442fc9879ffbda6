using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Alerts;
using Portal.Shared.Alerts;
using Portal.Shared.Routes;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>The other kinds of alert rule on the real database (workloads), and rules refused with a reason.</summary>
public sealed class AlertRuleKindTests : AlertBench
{
    [Fact]
    public async Task WorkloadRule_FiresForAFailedOrRestartingWorkload_OnAnOnlineDevice_AndResolvesWhenAllRun()
    {
        using (var created = await Admin.PostAsJsonAsync(ApiRoutes.AlertRules,
            new SaveAlertRuleRequest("workloads down", AlertRuleKind.Workload, Threshold: 5, ForSeconds: 0, ChannelIds: [ChannelId]), Ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
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
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        // Connected to this (live) instance, as the hub would record it, so offline detection leaves it alone.
        var instance = online ? Factory.Services.GetRequiredService<Portal.Features.Cluster.PortalInstanceIdentity>().Id : null;
        await db.Devices.Where(d => d.Id == DeviceId).ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectedInstance, instance), Ct);
        var state = await db.DesiredStates.FirstOrDefaultAsync(s => s.DeviceId == DeviceId, Ct) ?? db.DesiredStates.Add(new DeviceDesiredState { DeviceId = DeviceId }).Entity;
        (state.Reported, state.ReportedAt) = ([.. workloads], DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(Ct);
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
        using var silence = await Admin.PostAsJsonAsync(ApiRoutes.AlertSilences, new CreateSilenceRequest(DateTimeOffset.UtcNow.AddDays(40), "too long"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, silence.StatusCode);
        Assert.Contains("30 days", (await silence.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A channel an alert rule sends through cannot be deleted.
        await CpuRuleAsync();
        using var delete = await Admin.DeleteAsync(ApiRoutes.NotificationChannel(ChannelId), Ct);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("hot press", (await delete.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task Refused(SaveAlertRuleRequest request, string says)
    {
        using var response = await Admin.PostAsJsonAsync(ApiRoutes.AlertRules, request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(says, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}

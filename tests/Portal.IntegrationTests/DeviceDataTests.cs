using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.DeviceData;
using Portal.Features.Telemetry;
using Portal.Shared.DeviceData;
using Portal.Shared.Hubs;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Device data (what data flows send) through the real hub into storage, roll-ups and the API.</summary>
public sealed class DeviceDataTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task SendDeviceData_ResentAndOverlapping_IsStoredOnce_WithLastValuesUnitsAndFlow()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "pv-plant", ct);
        await using var hub = await ConnectAsync(device.DeviceSecret);
        var now = DateTimeOffset.UtcNow.AddSeconds(-10);
        var points = Enumerable.Range(1, 6).Select(i => new DeviceDataPoint(i, i % 2 == 0 ? "forecast" : "irradiance", i * 100.5, "W/m²", now.AddSeconds(i), "solar")).ToList();

        var first = await hub.InvokeAsync<long>(nameof(IAgentHub.SendDeviceData), new DeviceDataBatch(points[..4], 0), ct);
        // The acknowledgement was lost: the agent sends the same points again, with newer ones.
        var second = await hub.InvokeAsync<long>(nameof(IAgentHub.SendDeviceData), new DeviceDataBatch(points[2..], 0), ct);

        Assert.Equal(4, first);
        Assert.Equal(6, second);
        var forecast = await SeriesAsync(device.DeviceId, "forecast");
        Assert.Equal("raw", forecast.Resolution);
        Assert.Equal("W/m²", forecast.Unit);
        Assert.Equal([201.0, 402.0, 603.0], forecast.Values.Select(v => v.Value));
        var listed = (await admin.GetFromJsonAsync<List<DeviceDataSeriesInfo>>(ApiRoutes.DeviceDataSeries(device.DeviceId), ct))!;
        Assert.Equal(["forecast", "irradiance"], listed.Select(s => s.Series));
        Assert.Equal(603.0, listed[0].LastValue);
        Assert.Equal("solar", listed[0].Flow);
        Assert.Equal("pv-plant", listed[0].DeviceName);
        var fleet = (await admin.GetFromJsonAsync<List<DeviceDataSeriesInfo>>(ApiRoutes.DataSeries, ct))!;
        Assert.Equal(2, fleet.Count(s => s.DeviceId == device.DeviceId));
    }

    [Fact]
    public async Task SendDeviceData_MalformedBatch_IsRejectedWhole_AndTheConnectionKeepsWorking()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "bad-data", ct);
        await using var hub = await ConnectAsync(device.DeviceSecret);
        var good = new DeviceDataPoint(1, "power", 5, "kW", DateTimeOffset.UtcNow, "flow");

        async Task<string> Refused(DeviceDataBatch batch) =>
            (await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<long>(nameof(IAgentHub.SendDeviceData), batch, ct))).Message;

        Assert.Contains("increasing order", await Refused(new DeviceDataBatch([good, good], 0)), StringComparison.Ordinal);
        Assert.Contains("at most 1000", await Refused(new DeviceDataBatch(
            Enumerable.Range(1, 1001).Select(i => good with { Sequence = i }).ToList(), 0)), StringComparison.Ordinal);
        Assert.Contains(AgentHubRejections.DeviceData, await Refused(new DeviceDataBatch([good with { Sequence = 0 }], 0)), StringComparison.Ordinal);

        Assert.Equal(1, await hub.InvokeAsync<long>(nameof(IAgentHub.SendDeviceData), new DeviceDataBatch([good], 3), ct));
        Assert.Single((await SeriesAsync(device.DeviceId, "power")).Values);
    }

    [Fact]
    public async Task SendDeviceData_BadPoints_AreLeftOut_TheRestIsStored_AndAllAreAcknowledged()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "mixed-data", ct);
        await using var hub = await ConnectAsync(device.DeviceSecret);
        var now = DateTimeOffset.UtcNow;
        DeviceDataPoint Point(long sequence, double value) => new(sequence, "power", value, "kW", now.AddSeconds(-10 + sequence), "flow");

        var acknowledged = await hub.InvokeAsync<long>(nameof(IAgentHub.SendDeviceData), new DeviceDataBatch(
        [
            Point(1, 1),
            Point(2, 2) with { Series = "bad name\n" },
            Point(3, 3),
            Point(4, 4) with { At = now.AddDays(1) },
            Point(5, 5) with { Unit = new string('u', 40) },
            Point(6, 6),
            Point(7, 7) with { At = now.AddDays(-400) },
        ], 0), ct);
        var next = await hub.InvokeAsync<long>(nameof(IAgentHub.SendDeviceData), new DeviceDataBatch([Point(8, 8)], 0), ct);

        // The last point was refused, and still acknowledged: the agent must not send it forever.
        Assert.Equal((7, 8), (acknowledged, next));
        Assert.Equal([1.0, 3.0, 6.0, 8.0], (await SeriesAsync(device.DeviceId, "power")).Values.Select(v => v.Value));
    }

    [Fact]
    public async Task Api_WithoutSeriesOrForAnUnknownDevice_AnswersProblemsAPersonCanActOn()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "api-data", ct);

        using var noSeries = await admin.GetAsync(ApiRoutes.DeviceData(device.DeviceId), ct);
        using var unknown = await admin.GetAsync(ApiRoutes.DeviceData("nope") + "?series=x", ct);
        using var badResolution = await admin.GetAsync(ApiRoutes.DeviceData(device.DeviceId) + "?series=x&resolution=hourly", ct);
        var empty = await SeriesAsync(device.DeviceId, "never-sent");

        Assert.Equal(HttpStatusCode.BadRequest, noSeries.StatusCode);
        Assert.Contains("/data/series", (await noSeries.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badResolution.StatusCode);
        Assert.Empty(empty.Values);
        Assert.Null(empty.Unit);
    }

    [Fact]
    public async Task Maintenance_RollsSeriesUpByMinute_RedoesLateMinutes_AndDeletesWhatIsPastRetention()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "rollup-data", ct);
        var maintenance = portal.Services.GetRequiredService<DeviceDataMaintenance>();
        var minute = TelemetryRollup.MinuteOf(DateTimeOffset.UtcNow).AddMinutes(-10);
        await using (var db = await DbAsync())
        {
            db.DeviceData.AddRange(Row(device.DeviceId, 1, "t", minute.AddSeconds(5), 10), Row(device.DeviceId, 2, "t", minute.AddSeconds(35), 30),
                Row(device.DeviceId, 3, "u", minute.AddSeconds(40), 7), Row(device.DeviceId, 4, "t", minute.AddMinutes(1), 50),
                Row(device.DeviceId, 5, "t", DateTimeOffset.UtcNow.AddDays(-31), 99));
            await db.SaveChangesAsync(ct);
        }

        await maintenance.RunOnceAsync(ct);
        await using (var db = await DbAsync())
        {
            db.DeviceData.Add(Row(device.DeviceId, 6, "t", minute.AddSeconds(50), 60));
            await db.SaveChangesAsync(ct);
        }

        maintenance.MarkLate(device.DeviceId, minute.AddSeconds(50));
        await maintenance.RunOnceAsync(ct);

        var series = (await admin.GetFromJsonAsync<DeviceDataSeries>(
            $"{ApiRoutes.DeviceData(device.DeviceId)}?series=t&from={Q(minute.AddHours(-12))}&to={Q(minute.AddMinutes(5))}", ct))!;
        Assert.Equal("minute", series.Resolution);
        Assert.Equal(2, series.Minutes.Count);
        var first = series.Minutes[0];
        Assert.Equal((3, 10.0, 60.0, 60.0, 100.0 / 3), (first.Count, first.Min, first.Max, first.Last, first.Mean));
        await using var check = await DbAsync();
        Assert.False(await check.DeviceData.AnyAsync(t => t.DeviceId == device.DeviceId && t.Sequence == 5, ct));
        Assert.Single(await check.DeviceDataMinutes.Where(m => m.DeviceId == device.DeviceId && m.Series == "u").ToListAsync(ct));
    }

    private static DeviceDataRecord Row(string deviceId, long sequence, string series, DateTimeOffset at, double value) =>
        new() { DeviceId = deviceId, Sequence = sequence, Series = series, At = at, Value = value };

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    private async Task<DeviceDataSeries> SeriesAsync(string deviceId, string series) =>
        (await admin.GetFromJsonAsync<DeviceDataSeries>($"{ApiRoutes.DeviceData(deviceId)}?series={series}&from={Q(DateTimeOffset.UtcNow.AddHours(-1))}", ct))!;

    private async Task<PortalDbContext> DbAsync() =>
        await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);

    private async Task<HubConnection> ConnectAsync(string secret)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(address, ApiRoutes.AgentHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(secret))
            .AddMessagePackProtocol()
            .Build();
        await connection.StartAsync(ct);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

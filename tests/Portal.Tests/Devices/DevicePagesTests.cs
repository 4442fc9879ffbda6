using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Common;
using Portal.Data;
using Portal.Features.DeviceDetails;
using Portal.Features.Devices;
using Portal.Features.Telemetry;
using Portal.Shared.Devices;
using Portal.Shared.Telemetry;

namespace Portal.Tests.Devices;

public sealed class DevicePagesTests : PortalBunitContext
{
    // A slow CI machine re-renders later than a laptop.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public DevicePagesTests() => this.AddDevicePageServices();

    [Fact]
    public void DevicesGrid_MoreThanAPage_PagerSaysWhereYouAreAndMovesOn()
    {
        for (var i = 0; i < 30; i++)
        {
            this.AddDevice($"d{i:D2}", $"press-{i:D2}");
        }

        var page = Render<DevicesPage>();

        page.WaitForAssertion(() => Assert.Equal("1–25 of 30", page.Find("#devices-range").TextContent.Trim()), Patience);
        Assert.True(page.Find("button[aria-label='Previous page']").HasAttribute("disabled"));
        page.Find("button[aria-label='Next page']").Click();
        page.WaitForAssertion(() => Assert.Equal("26–30 of 30", page.Find("#devices-range").TextContent.Trim()), Patience);
        Assert.Equal(5, page.FindAll(".device-name").Count);
        Assert.True(page.Find("button[aria-label='Last page']").HasAttribute("disabled"));
    }

    [Fact]
    public void DevicesGrid_DevicesInTheDatabase_ShowsNamesStatusesAndLabels()
    {
        this.AddDevice("d1", "camera-01", ("site", "madrid"));
        this.AddDevice("d2", "press-07");
        this.Connect("d1");

        var page = Render<DevicesPage>();

        page.WaitForAssertion(() => Assert.Equal(["camera-01", "press-07"], page.FindAll(".device-name").Select(e => e.TextContent.Trim())), Patience);
        Assert.Equal(["Online", "Offline"], page.FindAll(".device-status").Select(e => e.TextContent.Trim()));
        Assert.Contains("site=madrid", page.Markup, StringComparison.Ordinal);
        Assert.Contains("1 online · 1 offline · 2 enrolled", page.Find("#devices-summary").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DevicesGrid_TenThousandDevices_PagesInTheDatabaseAndFiltersByName()
    {
        using (var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            db.Devices.AddRange(Enumerable.Range(0, 10_000).Select(i => new Device
            {
                Id = $"dev-{i:D5}", Name = $"sensor-{i:D5}", SecretHash = "x", EnrolledAt = DateTimeOffset.UtcNow,
                Labels = new Dictionary<string, string> { ["site"] = i % 2 == 0 ? "madrid" : "lyon" },
            }));
            db.SaveChanges();
        }

        for (var i = 0; i < 1_000; i++)
        {
            this.Connect($"dev-{i:D5}");
        }

        var page = Render<DevicesPage>();

        // Only one page of rows reaches the browser, whatever the fleet's size.
        page.WaitForAssertion(() => Assert.Contains("1000 online · 9000 offline · 10000 enrolled", page.Find("#devices-summary").TextContent, StringComparison.Ordinal), Patience);
        page.WaitForAssertion(() => Assert.InRange(page.FindAll(".device-name").Count, 1, 100), Patience);
        Assert.Equal("sensor-00000", page.FindAll(".device-name")[0].TextContent.Trim());

        page.Find("#device-search input, input#device-search").Input("sensor-09999");
        page.WaitForAssertion(() => Assert.Equal(["sensor-09999"], page.FindAll(".device-name").Select(e => e.TextContent.Trim())), Patience);
    }

    [Fact]
    public void DevicesGrid_DeviceComesOnline_StatusChangesWithoutReload()
    {
        this.AddDevice("d1", "camera-01");
        var page = Render<DevicesPage>();
        page.WaitForAssertion(() => Assert.Equal("Offline", page.Find(".device-status").TextContent.Trim()), Patience);

        this.Connect("d1");
        Services.GetRequiredService<DeviceEvents>().Publish(new DeviceEvent("d1", "camera-01", DeviceStatus.Online, "came online", DateTimeOffset.UtcNow));

        page.WaitForAssertion(() => Assert.Equal("Online", page.Find(".device-status").TextContent.Trim()), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DeviceChart_SamplesArrive_ChartShowsThemAndGrows()
    {
        this.AddDevice("d1", "camera-01");
        var now = DateTimeOffset.UtcNow;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken))
        {
            db.Telemetry.AddRange(Enumerable.Range(1, 3).Select(i => new TelemetryRecord
            {
                DeviceId = "d1", Sequence = i, At = now.AddSeconds(-30 + (5 * i)), CpuPercent = 10 * i,
                MemoryUsedBytes = 1, MemoryTotalBytes = 2, DiskUsedBytes = 1, DiskTotalBytes = 4, LoadAverage1m = 0.5,
            }));
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }

        var page = Render<DeviceDetailsPage>(p => p.Add(x => x.Id, "d1"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#telemetry-chart svg")), Patience);
        Assert.StartsWith("3 samples", page.Find("#sample-count").TextContent, StringComparison.Ordinal);
        Assert.Contains("CPU %", page.Markup, StringComparison.Ordinal);
        Assert.Equal("30", page.Find("#latest-cpu h4, #latest-cpu .mud-typography-h4").TextContent.Trim());

        Services.GetRequiredService<Notifier<TelemetryReceived>>().Publish(new TelemetryReceived("d1",
            [new TelemetrySample(4, now, 77, 1, 2, 1, 4, 0.5, 0, 0, null, null, null)]));

        page.WaitForAssertion(() => Assert.StartsWith("4 samples", page.Find("#sample-count").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal("77", page.Find("#latest-cpu h4, #latest-cpu .mud-typography-h4").TextContent.Trim());
    }

    [Fact]
    public async Task DeviceChart_OfflineDevice_MarksTheLastValuesStale()
    {
        this.AddDevice("d1", "camera-01");
        await AddSamplesAsync("d1", DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(-10));

        var page = Render<DeviceDetailsPage>(p => p.Add(x => x.Id, "d1"));

        page.WaitForAssertion(() => Assert.Contains("5 min ago", page.Find("#stale-values").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("offline", page.Find("#stale-values").TextContent, StringComparison.Ordinal);
        Assert.Contains("not live while offline", page.Find("#sample-count").TextContent, StringComparison.Ordinal);
        Assert.Contains("Values in %", page.Find("#chart-axes").TextContent, StringComparison.Ordinal);
        Assert.Contains("50 %", page.Find("#telemetry-chart").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceChart_OnlineDevice_ShowsValuesAsLive()
    {
        this.AddDevice("d1", "camera-01");
        this.Connect("d1");
        await AddSamplesAsync("d1", DateTimeOffset.UtcNow.AddSeconds(-5));

        var page = Render<DeviceDetailsPage>(p => p.Add(x => x.Id, "d1"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#telemetry-chart svg")), Patience);
        Assert.Empty(page.FindAll("#stale-values"));
        Assert.Contains("updates live", page.Find("#sample-count").TextContent, StringComparison.Ordinal);
    }

    /// <summary>Three samples five seconds apart, the last one at <paramref name="last"/> (a chart needs two points).</summary>
    private async Task AddSamplesAsync(string deviceId, DateTimeOffset last)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        db.Telemetry.AddRange(Enumerable.Range(1, 3).Select(i => new TelemetryRecord
        {
            DeviceId = deviceId, Sequence = i, At = last.AddSeconds(5 * (i - 3)), CpuPercent = 12,
            MemoryUsedBytes = 1, MemoryTotalBytes = 2, DiskUsedBytes = 1, DiskTotalBytes = 4, LoadAverage1m = 0.5,
        }));
        await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task DeviceQuery_LabelAndGroupFilters_KeepOnlyMatchingDevices()
    {
        this.AddDevice("d1", "camera-madrid", ("site", "madrid"), ("role", "camera"));
        this.AddDevice("d2", "press-madrid", ("site", "madrid"), ("role", "press"));
        this.AddDevice("d3", "camera-lisbon", ("site", "lisbon"), ("role", "camera"));
        var ct = Xunit.TestContext.Current.CancellationToken;
        var group = await Services.GetRequiredService<Portal.Features.Groups.GroupService>().SaveAsync(null,
            new SaveGroupRequest("Cameras", Selector: new Dictionary<string, string> { ["role"] = "camera" }), Portal.Features.Audit.AuditActor.System, ct);
        var devices = Services.GetRequiredService<DeviceService>();

        var madrid = await devices.QueryAsync(new DeviceQuery(Label: "site=madrid"), ct);
        var cameras = await devices.QueryAsync(new DeviceQuery(GroupId: group.Value!.Id), ct);
        var madridCameras = await devices.QueryAsync(new DeviceQuery(Label: "site=madrid", GroupId: group.Value!.Id), ct);

        Assert.Equal(["camera-madrid", "press-madrid"], madrid.Items.Select(d => d.Name));
        Assert.Equal(["camera-lisbon", "camera-madrid"], cameras.Items.Select(d => d.Name));
        Assert.Equal(["camera-madrid"], madridCameras.Items.Select(d => d.Name));
        Assert.Equal(1, madridCameras.Total);
    }

    [Fact]
    public async Task DeviceChart_LongRangeChosen_ShowsMinuteAggregates()
    {
        this.AddDevice("d1", "camera-01");
        var start = Portal.Features.Telemetry.TelemetryRollup.MinuteOf(DateTimeOffset.UtcNow.AddHours(-10));
        await using (var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken))
        {
            db.TelemetryMinutes.AddRange(Enumerable.Range(0, 5).Select(i => new TelemetryMinute
            {
                DeviceId = "d1", Minute = start.AddMinutes(i), Samples = 12, CpuPercentAvg = 20 + i, CpuPercentMax = 40,
                MemoryUsedBytesAvg = 1, MemoryTotalBytes = 2, DiskUsedBytesAvg = 1, DiskTotalBytes = 4,
            }));
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }

        var page = Render<DeviceDetailsPage>(p => p.Add(x => x.Id, "d1"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-telemetry")), Patience);

        await page.FindAll("#range button").Single(b => b.TextContent.Contains("24 h", StringComparison.Ordinal)).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("5 minutes (averages)", page.Find("#sample-count").TextContent, StringComparison.Ordinal), Patience);
        Assert.NotNull(page.Find("#telemetry-chart svg"));
    }
}

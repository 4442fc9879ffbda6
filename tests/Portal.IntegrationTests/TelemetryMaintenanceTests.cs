using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.Telemetry;
using Portal.Shared.Routes;
using Portal.Shared.Telemetry;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class TelemetryMaintenanceTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnce_RollsUpMinutesRedoesLateOnesAndDeletesWhatIsPastRetention()
    {
        var maintenance = fixture.Factory.Services.GetRequiredService<TelemetryMaintenance>();
        var minute = TelemetryRollup.MinuteOf(DateTimeOffset.UtcNow).AddMinutes(-10);
        await using (var db = await DbAsync())
        {
            db.Devices.Add(new Device { Id = "rollup-device", Name = "rollup", SecretHash = "x", EnrolledAt = minute });
            db.Telemetry.AddRange(Row(1, minute.AddSeconds(5), 10), Row(2, minute.AddSeconds(35), 30), Row(3, minute.AddMinutes(1), 50),
                Row(4, DateTimeOffset.UtcNow.AddDays(-8), 99));
            await db.SaveChangesAsync(ct);
        }

        await maintenance.RunOnceAsync(ct);
        await using (var db = await DbAsync())
        {
            db.Telemetry.Add(Row(5, minute.AddSeconds(50), 60));
            await db.SaveChangesAsync(ct);
        }

        maintenance.MarkLate("rollup-device", minute.AddSeconds(50));
        await maintenance.RunOnceAsync(ct);

        await using var check = await DbAsync();
        var minutes = await check.TelemetryMinutes.Where(m => m.DeviceId == "rollup-device").ToListAsync(ct);
        var first = Assert.Single(minutes, m => m.Minute == minute);
        Assert.Equal(3, first.Samples);
        Assert.Equal(60, first.CpuPercentMax);
        Assert.Single(minutes, m => m.Minute == minute.AddMinutes(1));
        Assert.False(await check.Telemetry.AnyAsync(t => t.DeviceId == "rollup-device" && t.Sequence == 4, ct));

        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var series = await admin.GetFromJsonAsync<TelemetrySeries>(
            $"{ApiRoutes.DeviceTelemetry("rollup-device")}?from={Uri.EscapeDataString(minute.AddHours(-12).ToString("O"))}&to={Uri.EscapeDataString(minute.AddMinutes(5).ToString("O"))}", ct);
        Assert.Equal("minute", series!.Resolution);
        Assert.Equal(2, series.Minutes.Count);
        using var bad = await admin.GetAsync($"{ApiRoutes.DeviceTelemetry("rollup-device")}?resolution=hourly", ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static TelemetryRecord Row(long sequence, DateTimeOffset at, double cpu) => new()
    {
        DeviceId = "rollup-device", Sequence = sequence, At = at, CpuPercent = cpu, MemoryUsedBytes = 1, MemoryTotalBytes = 2,
        DiskUsedBytes = 1, DiskTotalBytes = 2, LoadAverage1m = 0.5,
    };

    private Task<PortalDbContext> DbAsync() =>
        fixture.Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
}

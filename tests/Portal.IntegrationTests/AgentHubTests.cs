using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Shared.Devices;
using Portal.Shared.Hubs;
using Portal.Shared.Routes;
using Portal.Shared.Telemetry;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>The hub seen from a hand-written client, to send what a real agent never would.</summary>
public sealed class AgentHubTests : IAsyncLifetime
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
    public async Task SendTelemetry_Malformed_IsRejectedAndTheConnectionKeepsWorking()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "bad-sender", ct);
        await using var hub = await ConnectAsync(device.DeviceSecret);
        var good = new TelemetrySample(1, DateTimeOffset.UtcNow, 10, 1, 2, 1, 2, 0.1, 0, 0, null, null, null);

        var nan = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry),
            new TelemetryBatch([good with { CpuPercent = double.NaN }], 0), ct));
        var future = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry),
            new TelemetryBatch([good with { At = DateTimeOffset.UtcNow.AddDays(1) }], 0), ct));
        var oversized = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry),
            new TelemetryBatch(Enumerable.Range(1, 501).Select(i => good with { Sequence = i }).ToList(), 0), ct));
        var acknowledged = await hub.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry), new TelemetryBatch([good], 0), ct);
        var again = await hub.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry), new TelemetryBatch([good], 0), ct);

        Assert.Contains("utilisation", nan.Message, StringComparison.Ordinal);
        Assert.Contains("future", future.Message, StringComparison.Ordinal);
        Assert.Contains("at most 500", oversized.Message, StringComparison.Ordinal);
        Assert.Equal(1, acknowledged);
        Assert.Equal(1, again);
        var stored = (await admin.GetFromJsonAsync<TelemetrySeries>(ApiRoutes.DeviceTelemetry(device.DeviceId), ct))!.Samples;
        Assert.Single(stored);
    }

    [Fact]
    public async Task ReportWorkloads_ReasonWithNulAndControlCharacters_IsStoredReadably_AndABadNameIsRefused()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "nul-reporter", ct);
        await using var hub = await ConnectAsync(device.DeviceSecret);
        var failed = new Portal.Shared.Workloads.WorkloadStatus("camera", "dep-1", "hash", Portal.Shared.Workloads.WorkloadState.Failed,
            "exit 3\u0000\u202Eforged\nsecond line", "local/busybox:1", null, null, 0, null, null);

        await hub.InvokeAsync(nameof(IAgentHub.ReportWorkloads), new Portal.Shared.Workloads.WorkloadReport(1, [failed], DateTimeOffset.UtcNow), ct);
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(nameof(IAgentHub.ReportWorkloads),
            new Portal.Shared.Workloads.WorkloadReport(2, [failed with { Name = "cam\u0000era" }], DateTimeOffset.UtcNow), ct));

        Assert.Contains("malformed", refused.Message, StringComparison.Ordinal);
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Portal.Data.PortalDbContext>();
        var stored = Assert.Single(db.DesiredStates.Single(s => s.DeviceId == device.DeviceId).Reported);
        Assert.Equal("camera", stored.Name);
        Assert.Equal("exit 3\uFFFD\uFFFDforged\uFFFDsecond line", stored.Reason);
    }

    [Fact]
    public async Task SendTelemetry_IsStoredUnderTheSenderOnly_WhateverTheOtherDevice()
    {
        var a = await ApiClient.EnrollDeviceAsync(admin, "device-a", ct);
        var b = await ApiClient.EnrollDeviceAsync(admin, "device-b", ct);
        await using var hubA = await ConnectAsync(a.DeviceSecret);

        await hubA.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry),
            new TelemetryBatch([new TelemetrySample(1, DateTimeOffset.UtcNow, 50, 1, 2, 1, 2, 0.1, 0, 0, null, null, null)], 0), ct);

        Assert.Single((await admin.GetFromJsonAsync<TelemetrySeries>(ApiRoutes.DeviceTelemetry(a.DeviceId), ct))!.Samples);
        Assert.Empty((await admin.GetFromJsonAsync<TelemetrySeries>(ApiRoutes.DeviceTelemetry(b.DeviceId), ct))!.Samples);
    }

    [Fact]
    public async Task Connect_AnotherDevicesIdWithOwnSecret_IsRefused()
    {
        var a = await ApiClient.EnrollDeviceAsync(admin, "impostor", ct);
        var b = await ApiClient.EnrollDeviceAsync(admin, "victim", ct);
        var borrowed = $"dev_{b.DeviceId}.{a.DeviceSecret[(a.DeviceSecret.IndexOf('.', StringComparison.Ordinal) + 1)..]}";

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(borrowed));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Connect_RevokedDevice_IsRefused()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "retired", ct);
        using (var revoke = await admin.DeleteAsync(ApiRoutes.Device(device.DeviceId), ct))
        {
            revoke.EnsureSuccessStatusCode();
        }

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(device.DeviceSecret));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Connect_WrongSecret_IsRefused()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "forger", ct);
        var forged = device.DeviceSecret[..^4] + "AAAA";

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(forged));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

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

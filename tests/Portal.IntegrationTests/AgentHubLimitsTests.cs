using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Shared.Hubs;
using Portal.Shared.Routes;
using Portal.Shared.Telemetry;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// The agent hub against clients a real agent is not: one that can only put its secret in the URL, and one that floods.
/// Limits are the defaults (50 calls a second, bursts of 200, 6,000 samples a minute, one rejection line a minute).
/// </summary>
public sealed class AgentHubLimitsTests : IAsyncLifetime
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
    public async Task Connect_SecretInAccessTokenQuery_ConnectsAndTheSecretIsNeverLogged()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "browser-like", ct);
        var hubUrl = new Uri(address, $"{ApiRoutes.AgentHub}?access_token={Uri.EscapeDataString(device.DeviceSecret)}");

        // As a browser does: straight to the WebSocket, which cannot carry an Authorization header.
        await using (var direct = new HubConnectionBuilder()
            .WithUrl(hubUrl, o => (o.SkipNegotiation, o.Transports) = (true, HttpTransportType.WebSockets))
            .AddMessagePackProtocol().Build())
        {
            await direct.StartAsync(ct);
            Assert.NotNull(await direct.InvokeAsync<DesiredState>(nameof(IAgentHub.GetDesiredState), ct));
        }

        // And through negotiation, with the secret in the query of both requests.
        await using (var negotiated = new HubConnectionBuilder().WithUrl(hubUrl).AddMessagePackProtocol().Build())
        {
            await negotiated.StartAsync(ct);
            Assert.NotNull(await negotiated.InvokeAsync<DesiredState>(nameof(IAgentHub.GetDesiredState), ct));
        }

        var random = device.DeviceSecret[(device.DeviceSecret.IndexOf('.', StringComparison.Ordinal) + 1)..];
        Assert.Contains(portal.LogLines, line => line.Contains("Request starting", StringComparison.Ordinal) && line.Contains(ApiRoutes.AgentHub, StringComparison.Ordinal));
        var leaked = portal.LogLines.Where(line => line.Contains(random, StringComparison.Ordinal) || line.Contains(Uri.EscapeDataString(random), StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, "The secret was logged:\n" + string.Join("\n", leaked));

        // Only the hub takes it from the URL: the agent's REST routes still want the header.
        using var plain = new HttpClient { BaseAddress = address };
        using var artifact = await plain.GetAsync(
            ApiRoutes.AgentArtifact(new string('0', 64)) + $"?access_token={Uri.EscapeDataString(device.DeviceSecret)}", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, artifact.StatusCode);
    }

    [Fact]
    public async Task SendTelemetry_Flood_IsCappedPerDeviceAndLoggedOnce()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "flooder", ct);
        await using var hub = await ConnectAsync(device.DeviceSecret);
        var (accepted, refused, partial) = (0, 0, 0);
        var watch = Stopwatch.StartNew();

        // 1,000 batches of 100 samples, 50 at a time: 100,000 samples as fast as the connection takes them.
        for (var round = 0; round < 20; round++)
        {
            var calls = Enumerable.Range(round * 50, 50).Select(async call =>
            {
                var first = (call * 100) + 1;
                var batch = new TelemetryBatch(Enumerable.Range(first, 100).Select(Sample).ToList(), 0);
                try
                {
                    var acknowledged = await hub.InvokeAsync<long>(nameof(IAgentHub.SendTelemetry), batch, ct);
                    Interlocked.Increment(ref accepted);
                    if (acknowledged < first + 99)
                    {
                        Interlocked.Increment(ref partial);
                    }
                }
                catch (HubException)
                {
                    Interlocked.Increment(ref refused);
                }
            });
            await Task.WhenAll(calls);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var stored = await StoredSamplesAsync(device.DeviceId);
        TestContext.Current.TestOutputHelper?.WriteLine($"{seconds:F1} s: {accepted} calls accepted ({partial} in part), {refused} refused, {stored} samples stored");
        Assert.InRange(accepted, 1, 200 + (50 * seconds) + 1);
        Assert.Equal(1000, accepted + refused);
        Assert.True(partial > 0, "Over the sample budget a batch is acknowledged only in part (the rest stays on the device).");
        Assert.InRange(stored, 6000, 6000 + (100 * seconds) + 100);
        AssertLoggedOnce(device.DeviceId);
    }

    [Fact]
    public async Task Heartbeat_FiveThousandInvalidCalls_AreRefusedAndLoggedOnce()
    {
        var device = await ApiClient.EnrollDeviceAsync(admin, "noisy", ct);
        await using var hub = await ConnectAsync(device.DeviceSecret);
        var before = portal.LogLines.Sum(l => l.Length);
        var refused = 0;

        for (var round = 0; round < 100; round++)
        {
            var calls = Enumerable.Range(0, 50).Select(async _ =>
            {
                try
                {
                    await hub.InvokeAsync(nameof(IAgentHub.Heartbeat), 0, ct);
                }
                catch (HubException)
                {
                    Interlocked.Increment(ref refused);
                }
            });
            await Task.WhenAll(calls);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"5,000 refused calls added {portal.LogLines.Sum(l => l.Length) - before} characters of log (Debug and up), {portal.WarningLines.Count} lines at Warning and up in all");
        Assert.Equal(5000, refused);
        AssertLoggedOnce(device.DeviceId);
        // Everything the portal logged meanwhile, Debug included: far from the 4.7 MB 5,000 rejections once wrote.
        Assert.InRange(portal.LogLines.Sum(l => l.Length) - before, 0, 2 * 1024 * 1024);
    }

    private void AssertLoggedOnce(string deviceId)
    {
        var lines = portal.WarningLines.Where(l => l.Contains(deviceId, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("Rejected", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        var traces = portal.WarningLines.Where(l => l.Contains("HubException", StringComparison.Ordinal)).ToList();
        Assert.True(traces.Count == 0, $"{traces.Count} warnings with a stack trace, the first:\n{traces.FirstOrDefault()}");
    }

    private static TelemetrySample Sample(int sequence) => new(sequence, DateTimeOffset.UtcNow, 10, 1, 2, 1, 2, 0.1, 0, 0, null, null, null);

    private async Task<int> StoredSamplesAsync(string deviceId)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        return await db.Telemetry.CountAsync(t => t.DeviceId == deviceId, ct);
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

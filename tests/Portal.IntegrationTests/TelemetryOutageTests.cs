using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Telemetry;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>The portal goes away while a real agent keeps sampling; when it is back, every sample arrives exactly once.</summary>
public sealed class TelemetryOutageTests : IAsyncDisposable
{
    private static readonly Dictionary<string, string> FastAgent = new() { ["Agent__TelemetryIntervalSeconds"] = "1" };
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string portalData = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N"));
    private readonly string agentData = Path.Combine(Path.GetTempPath(), "portal-agent-tests", Guid.NewGuid().ToString("N"));
    private readonly int port = FreePort();

    [Fact]
    public async Task PortalStopsAndComesBack_EverySampleOfTheOutageArrivesExactlyOnce()
    {
        string deviceId;
        AgentProcess? agent = null;
        try
        {
            await using (var first = StartPortal())
            {
                using var admin = await ApiClient.AdminAsync(first, ct);
                var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "outage", ct);
                agent = AgentProcess.Start(FastAgent, "--portal", $"http://127.0.0.1:{port}", "--enroll", token, "--data-dir", agentData, "--name", "outage");
                deviceId = (await WaitForAsync(admin, async () =>
                    (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!.FirstOrDefault(d => d.Status == DeviceStatus.Online), agent!))!.Id;
                await WaitForAsync(admin, async () => (await TelemetryAsync(admin, deviceId)).Count >= 2 ? "ok" : null, agent!);
            }

            // Portal down: the agent keeps sampling into its outbox.
            await Task.Delay(TimeSpan.FromSeconds(6), ct);

            await using (var second = StartPortal())
            {
                using var admin = await ApiClient.AdminAsync(second, ct);
                var samples = await WaitForAsync(admin, async () =>
                {
                    var all = await TelemetryAsync(admin, deviceId);
                    // Back online and past the outage: more than the ~8 samples sent before it, and a fresh one.
                    return all.Count >= 12 && all[^1].At > DateTimeOffset.UtcNow.AddSeconds(-3) ? all : null;
                }, agent!);

                var sequences = samples.Select(s => s.Sequence).ToList();
                Assert.Equal(sequences.Distinct().Count(), sequences.Count);
                Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
                Assert.Contains(samples, s => s.MemoryTotalBytes > 0 && s.DiskTotalBytes > 0);
            }
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private PortalFactory StartPortal()
    {
        var factory = new PortalFactory();
        factory.Settings["Portal:DataDirectory"] = portalData;
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return factory;
    }

    private async Task<List<TelemetrySample>> TelemetryAsync(HttpClient admin, string deviceId) =>
        [.. (await admin.GetFromJsonAsync<TelemetrySeries>(
            $"{ApiRoutes.DeviceTelemetry(deviceId)}?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}", ct))!.Samples];

    private async Task<T> WaitForAsync<T>(HttpClient admin, Func<Task<T?>> probe, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"Timed out. The agent printed:\n{agent.Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var dir in new[] { portalData, agentData }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>A real agent process talking to a real portal over a real loopback socket.</summary>
public sealed class AgentConnectionTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-agent-tests", Guid.NewGuid().ToString("N"));
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Agent_EnrollsConnectsAndIsRevoked_StopsAndIsRefusedAfterwards()
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "agent test", ct, labels: new Dictionary<string, string> { ["site"] = "madrid" });

        await using (var agent = AgentProcess.Start("--portal", address.ToString(), "--enroll", token, "--data-dir", dataDirectory, "--name", "press-line-7"))
        {
            var device = await WaitForDeviceAsync(d => d.Status == DeviceStatus.Online && d.Inventory is not null, agent);
            Assert.Equal("press-line-7", device.Name);
            Assert.Equal(Environment.ProcessorCount, device.Inventory!.CpuCores);
            Assert.False(string.IsNullOrEmpty(device.Inventory.OperatingSystem));
            Assert.Equal("madrid", device.Labels["site"]);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, "credentials.json")));
            }

            using var revoke = await admin.DeleteAsync(ApiRoutes.Device(device.Id), ct);
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.True(agent.ExitCode == 4, $"Exit code {agent.ExitCode}; the agent printed:\n{agent.Output}");
            Assert.Contains("refused the credentials", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(token, agent.Output, StringComparison.Ordinal);
            var history = await admin.GetFromJsonAsync<List<DeviceEvent>>($"{ApiRoutes.Device(device.Id)}/history", ct);
            Assert.Equal(["was decommissioned", "came online", "enrolled with the token 'agent test'"],
                history!.Select(h => h.What).Where(w => w != "went offline").Take(3));
        }

        await using var again = AgentProcess.Start("--portal", address.ToString(), "--data-dir", dataDirectory);
        await again.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(again.ExitCode == 4, $"Exit code {again.ExitCode}; the agent printed:\n{again.Output}");
        var devices = await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct);
        Assert.Equal(DeviceStatus.Revoked, Assert.Single(devices!).Status);
    }

    [Fact]
    public async Task Agent_RestartedWithoutToken_ComesBackAsTheSameDevice()
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "agent test", ct, labels: new Dictionary<string, string> { ["site"] = "madrid" });
        string deviceId;
        await using (var first = AgentProcess.Start("--portal", address.ToString(), "--enroll", token, "--data-dir", dataDirectory, "--name", "kiosk"))
        {
            deviceId = (await WaitForDeviceAsync(d => d.Status == DeviceStatus.Online, first)).Id;
            await first.TerminateAsync(ct);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(15), ct);
            Assert.Equal(0, first.ExitCode);
        }

        await WaitForDeviceAsync(d => d.Status == DeviceStatus.Offline, agent: null);
        await using var second = AgentProcess.Start("--portal", address.ToString(), "--data-dir", dataDirectory);
        var back = await WaitForDeviceAsync(d => d.Status == DeviceStatus.Online, second);
        Assert.Equal(deviceId, back.Id);
        Assert.Single((await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!);
    }

    [Fact]
    public async Task Agent_PortalClosesItsConnection_ComesBackInsteadOfStopping()
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "agent test", ct);
        await using var agent = AgentProcess.Start("--portal", address.ToString(), "--enroll", token, "--data-dir", dataDirectory, "--name", "sturdy");
        var device = await WaitForDeviceAsync(d => d.Status == DeviceStatus.Online, agent);

        // What the liveness monitor, or a newer connection of the same device, does.
        portal.Services.GetRequiredService<Portal.Features.Cluster.DeviceConnectionRegistry>().Abort(device.Id);

        // Whether SignalR's own reconnect or the agent's outer loop brings it back, it must come back.
        var history = await WaitForAsync(async () =>
        {
            var events = await admin.GetFromJsonAsync<List<DeviceEvent>>($"{ApiRoutes.Device(device.Id)}/history", ct);
            return events!.Count(e => e.What == "came online") >= 2 ? events : null;
        }, agent);
        Assert.Contains(history, e => e.What == "went offline");
        Assert.Equal(DeviceStatus.Online, (await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(device.Id), ct))!.Status);
    }

    [Fact]
    public async Task Agent_NotEnrolledAndNoToken_ExitsWithCode3AndSaysHow()
    {
        await using var agent = AgentProcess.Start("--portal", address.ToString(), "--data-dir", dataDirectory);

        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(3, agent.ExitCode);
        Assert.Contains("Start it once with --enroll TOKEN", agent.Output, StringComparison.Ordinal);
    }

    private async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"Timed out. Agent output:\n{agent.Output}");
    }

    private async Task<DeviceDto> WaitForDeviceAsync(Func<DeviceDto, bool> condition, AgentProcess? agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var devices = await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct);
            if (devices!.FirstOrDefault(condition) is { } device)
            {
                return device;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"No device reached the expected state in 30 s. Agent output:\n{agent?.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}

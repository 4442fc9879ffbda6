using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// A queued action whose device stays away past its expiry: the portal (on a clock the test moves on) marks it Expired
/// with the reason and audits it; when the device does return, the expired action is not run.
/// </summary>
public sealed class DeviceActionExpiryTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly MovableClock clock = new();
    private readonly string data = Path.Combine(Path.GetTempPath(), "portal-action-tests", Guid.NewGuid().ToString("N"));
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        portal.TestServices.Add(services => services.AddSingleton<TimeProvider>(clock));
        address = portal.StartOnLoopback();
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task QueuedAction_PastItsExpiry_IsExpired_Audited_AndNotRunWhenTheDeviceReturns()
    {
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "away", ct);
        var first = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--enroll", token, "--data-dir", data, "--name", "away");
        var device = await first.WaitUntilOnlineAsync(admin, "away", ct);
        await first.TerminateAsync(ct);
        await first.DisposeAsync();
        await WaitForAsync(async () => (await admin.GetFromJsonAsync<DeviceDto>(ApiRoutes.Device(device), ct))!.Status == DeviceStatus.Offline, "the device to go offline");

        using var response = await admin.PostAsJsonAsync(ApiRoutes.DeviceActionsOf(device), new DeviceActionRequest(DeviceActionKind.PruneImages, QueueUntilOnline: true, ExpiresInMinutes: 1), ct);
        var queued = (await response.Content.ReadFromJsonAsync<DeviceActionDto>(ct))!;
        Assert.Equal(DeviceActionState.Queued, queued.State);

        clock.Advance(TimeSpan.FromMinutes(2));
        DeviceActionDto? expired = null;
        await WaitForAsync(async () => (expired = await ActionAsync(device, queued.Id)).State == DeviceActionState.Expired, "the action to expire");
        Assert.Contains("did not come online before the action expired", expired!.Message, StringComparison.Ordinal);
        // The audit entry is written just after the state (its own save): wait for it rather than race it.
        await WaitForAsync(async () => (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.DeviceActionFinished}", ct))!.Items
            .Any(e => e.Target == AuditTargets.Device(device) && e.Outcome == AuditOutcomes.Failure && e.Detail!.Contains("Expired", StringComparison.Ordinal)), "the expiry's audit entry");

        await using var back = AgentProcess.Start(DeploymentTests.AgentEnvironment(), "--portal", address.ToString(), "--data-dir", data);
        await back.WaitUntilOnlineAsync(admin, "away", ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.Equal(DeviceActionState.Expired, (await ActionAsync(device, queued.Id)).State);
        Assert.DoesNotContain("Running action", back.Output, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private async Task<DeviceActionDto> ActionAsync(string device, long id) =>
        (await admin.GetFromJsonAsync<List<DeviceActionDto>>(ApiRoutes.DeviceActionsOf(device), ct))!.Single(a => a.Id == id);

    private async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(250, ct);
        }
    }

    /// <summary>The system clock, moved on by the test; timers run in real time.</summary>
    private sealed class MovableClock : TimeProvider
    {
        private long offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));
    }
}

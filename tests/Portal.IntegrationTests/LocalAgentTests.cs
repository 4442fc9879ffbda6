using System.Net.Http.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Telemetry;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class LocalAgentTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task LocalAgentEnabled_PortalAloneShowsItsOwnMachineOnlineWithTelemetry()
    {
        await using var portal = new PortalFactory();
        portal.Settings["Portal:LocalAgent:Enabled"] = "true";
        portal.Settings["Agent:TelemetryIntervalSeconds"] = "1";
        portal.StartOnLoopback();
        using var admin = await ApiClient.AdminAsync(portal, ct);

        var deadline = DateTime.UtcNow.AddSeconds(45);
        DeviceDto? local = null;
        TelemetrySeries? telemetry = null;
        while (DateTime.UtcNow < deadline && (local is null || telemetry is not { Samples.Count: > 0 }))
        {
            local = (await admin.GetFromJsonAsync<List<DeviceDto>>(ApiRoutes.Devices, ct))!
                .FirstOrDefault(d => d.Status == DeviceStatus.Online && d.Labels.GetValueOrDefault("local") == "true");
            telemetry = local is null ? null : await admin.GetFromJsonAsync<TelemetrySeries>(ApiRoutes.DeviceTelemetry(local.Id), ct);
            await Task.Delay(250, ct);
        }

        Assert.NotNull(local);
        Assert.EndsWith("(portal host)", local.Name, StringComparison.Ordinal);
        Assert.NotNull(local.Inventory);
        Assert.NotEmpty(telemetry!.Samples);
    }
}

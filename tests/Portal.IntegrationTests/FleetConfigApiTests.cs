using System.Net;
using System.Net.Http.Json;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Config;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Config sets at fleet, group and device level: layering with sources, audit diffs, and refusals.</summary>
public sealed class FleetConfigApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task EffectiveConfig_FleetThenGroupsByNameThenDevice_NamesEachSource()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var device = (await ApiClient.EnrollDeviceAsync(admin, "layered-1", ct)).DeviceId;
        var alpha = await CreateGroupAsync(admin, "cfg-alpha", device);
        var beta = await CreateGroupAsync(admin, "cfg-beta", device);

        await PutAsync(admin, ApiRoutes.FleetConfig, new() { ["LAYER_A"] = "fleet", ["LAYER_B"] = "fleet", ["LAYER_C"] = "fleet" }, new() { ["app.yaml"] = "from: fleet" });
        await PutAsync(admin, ApiRoutes.GroupConfig(beta), new() { ["LAYER_B"] = "beta" }, new() { ["app.yaml"] = "from: beta" });
        await PutAsync(admin, ApiRoutes.GroupConfig(alpha), new() { ["LAYER_B"] = "alpha", ["LAYER_C"] = "alpha" }, []);
        await PutAsync(admin, ApiRoutes.DeviceConfig(device), new() { ["LAYER_C"] = "device" }, []);

        var effective = (await admin.GetFromJsonAsync<EffectiveConfigDto>(ApiRoutes.DeviceEffectiveConfig(device), ct))!;
        Assert.Equal(["fleet", "group cfg-alpha", "group cfg-beta", "device layered-1"], effective.Order);
        var values = effective.Values.Where(v => v.Key.StartsWith("LAYER_", StringComparison.Ordinal)).ToDictionary(v => v.Key);
        Assert.Equal(("fleet", ConfigLevel.Fleet), (values["LAYER_A"].Value, values["LAYER_A"].Level));
        Assert.Equal(("beta", "group cfg-beta", beta), (values["LAYER_B"].Value, values["LAYER_B"].Source, values["LAYER_B"].OwnerId));
        Assert.Equal(("device", ConfigLevel.Device), (values["LAYER_C"].Value, values["LAYER_C"].Level));
        Assert.Equal("from: beta", effective.Files.Single(f => f.Key == "app.yaml").Value);

        var group = (await admin.GetFromJsonAsync<ConfigSetDto>(ApiRoutes.GroupConfig(alpha), ct))!;
        Assert.Equal("alpha", group.Values["LAYER_C"]);
        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.ConfigChanged}&target={Uri.EscapeDataString(AuditTargets.Group(alpha))}", ct))!;
        Assert.Contains(audit.Items, e => e.Detail == "Group: +LAYER_B=alpha; +LAYER_C=alpha" && e.TargetName == "cfg-alpha");
    }

    [Fact]
    public async Task ConfigChange_IsAuditedAsADiff_FileTextNever()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var device = (await ApiClient.EnrollDeviceAsync(admin, "diffed-1", ct)).DeviceId;
        await PutAsync(admin, ApiRoutes.DeviceConfig(device), new() { ["KEEP"] = "1", ["CHANGE"] = "old", ["DROP"] = "x" }, new() { ["a.conf"] = "alpha-text" });
        await PutAsync(admin, ApiRoutes.DeviceConfig(device), new() { ["KEEP"] = "1", ["CHANGE"] = "new", ["ADD"] = "y" }, new() { ["a.conf"] = "changed-text", ["b.conf"] = "beta-text" });

        var audit = (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.ConfigChanged}&target={Uri.EscapeDataString(AuditTargets.Device(device))}", ct))!;
        var last = audit.Items.OrderByDescending(e => e.Id).First();
        Assert.Equal("Device: +ADD=y; ~CHANGE: old → new; -DROP; +file b.conf; ~file a.conf", last.Detail);
        Assert.DoesNotContain(audit.Items, e => e.Detail!.Contains("-text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Config_BadInputAndUnknownOwners_AreRefusedWithTheReason()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        using var badKey = await admin.PutAsJsonAsync(ApiRoutes.FleetConfig, new SaveConfigSetRequest(new Dictionary<string, string> { ["has space"] = "x" }, null), ct);
        using var badFile = await admin.PutAsJsonAsync(ApiRoutes.FleetConfig, new SaveConfigSetRequest(null, new Dictionary<string, string> { ["../etc/passwd"] = "x" }), ct);
        using var noGroup = await admin.PutAsJsonAsync(ApiRoutes.GroupConfig("no-such-group"), new SaveConfigSetRequest(null, null), ct);
        using var noDevice = await admin.GetAsync(ApiRoutes.DeviceEffectiveConfig("no-such-device"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("The key 'has space' is not valid", await badKey.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFile.StatusCode);
        Assert.Contains("/appconfig/", await badFile.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noGroup.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noDevice.StatusCode);
    }

    private async Task<string> CreateGroupAsync(HttpClient admin, string name, string device)
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest(name, StaticMembers: [device]), ct);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!.Id;
    }

    private async Task PutAsync(HttpClient client, string route, Dictionary<string, string> values, Dictionary<string, string> files)
    {
        using var response = await client.PutAsJsonAsync(route, new SaveConfigSetRequest(values, files), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class GroupsApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Group_SelectorAndStaticMembers_FollowLabelsAndRevocation()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var cam = (await ApiClient.EnrollDeviceAsync(admin, "cam-1", ct, new Dictionary<string, string> { ["site"] = "madrid", ["role"] = "camera" })).DeviceId;
        var press = (await ApiClient.EnrollDeviceAsync(admin, "press-1", ct, new Dictionary<string, string> { ["site"] = "madrid", ["role"] = "press" })).DeviceId;
        var lisbon = (await ApiClient.EnrollDeviceAsync(admin, "cam-lisbon", ct, new Dictionary<string, string> { ["site"] = "lisbon", ["role"] = "camera" })).DeviceId;

        using var created = await admin.PostAsJsonAsync(ApiRoutes.Groups,
            new SaveGroupRequest("Madrid cameras", "All cameras in Madrid", new Dictionary<string, string> { ["site"] = "madrid", ["role"] = "camera" }, [lisbon]), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var group = (await created.Content.ReadFromJsonAsync<GroupDto>(ct))!;
        Assert.Equal(["cam-1", "cam-lisbon"], group.Members.Select(m => m.Name));
        Assert.True(group.Members.Single(m => m.Name == "cam-lisbon").Static);

        using (var relabel = await admin.PutAsJsonAsync(ApiRoutes.DeviceLabels(press),
            new SetLabelsRequest(new Dictionary<string, string> { ["site"] = "madrid", ["role"] = "camera" }), ct))
        {
            Assert.Equal(HttpStatusCode.OK, relabel.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync(ApiRoutes.Device(cam), ct))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        var after = await admin.GetFromJsonAsync<GroupDto>(ApiRoutes.Group(group.Id), ct);
        Assert.Equal(["cam-lisbon", "press-1"], after!.Members.Select(m => m.Name));
    }

    [Fact]
    public async Task Group_BadInput_IsRefusedWithTheReason()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        using var first = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Unique name"), ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var duplicate = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Unique name"), ct);
        using var badSelector = await admin.PostAsJsonAsync(ApiRoutes.Groups,
            new SaveGroupRequest("Bad", Selector: new Dictionary<string, string> { ["Bad Key"] = "x" }), ct);
        using var unknownMember = await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Ghosts", StaticMembers: ["no-such-device"]), ct);
        using var badLabels = await admin.PutAsJsonAsync(ApiRoutes.DeviceLabels("whatever"), new SetLabelsRequest(new Dictionary<string, string> { ["ok"] = "bad value!" }), ct);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSelector.StatusCode);
        Assert.Contains("Label key 'Bad Key'", await badSelector.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownMember.StatusCode);
        Assert.Contains("no-such-device", await unknownMember.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badLabels.StatusCode);
    }

    [Fact]
    public async Task Groups_Viewer_ReadsButCannotChange()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await ApiClient.CreateUserAsync(admin, "group-viewer@portal.local", "Viewer-Passw0rd!", PortalRoles.Viewer, ct);
        using var viewer = await ApiClient.SignedInAsync(fixture.Factory, "group-viewer@portal.local", "Viewer-Passw0rd!", ct);

        using var list = await viewer.GetAsync(ApiRoutes.Groups, ct);
        using var create = await viewer.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest("Nope"), ct);
        using var labels = await viewer.PutAsJsonAsync(ApiRoutes.DeviceLabels("x"), new SetLabelsRequest(new Dictionary<string, string>()), ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, labels.StatusCode);
    }

}

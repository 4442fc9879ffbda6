using System.Net;
using System.Net.Http.Json;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Users;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class UsersApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(PortalRoles.Viewer)]
    [InlineData(PortalRoles.Operator)]
    public async Task Users_NonAdmin_Gets403OnEveryRoute(string role)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var user = await ApiClient.CreateUserAsync(admin, $"{role.ToLowerInvariant()}-403@portal.local", "Some-Passw0rd!", role, ct);
        using var client = await ApiClient.SignedInAsync(fixture.Factory, user.Email, "Some-Passw0rd!", ct);

        using var list = await client.GetAsync(ApiRoutes.Users, ct);
        using var get = await client.GetAsync(ApiRoutes.User(user.Id), ct);
        using var create = await client.PostAsJsonAsync(ApiRoutes.Users, new CreateUserRequest("x@portal.local", "Some-Passw0rd!", [role]), ct);
        using var update = await client.PutAsJsonAsync(ApiRoutes.User(user.Id), new UpdateUserRequest([PortalRoles.Admin], null), ct);
        using var delete = await client.DeleteAsync(ApiRoutes.User(user.Id), ct);

        Assert.All([list, get, create, update, delete], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal([role], (await admin.GetFromJsonAsync<UserDto>(ApiRoutes.User(user.Id), ct))!.Roles);
    }

    [Fact]
    public async Task Create_ThenUpdateRolesAndLock_IsReflectedInGet()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var user = await ApiClient.CreateUserAsync(admin, "crud@portal.local", "Crud-Passw0rd!", PortalRoles.Viewer, ct);

        using var update = await admin.PutAsJsonAsync(ApiRoutes.User(user.Id), new UpdateUserRequest([PortalRoles.Operator], true), ct);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var updated = await admin.GetFromJsonAsync<UserDto>(ApiRoutes.User(user.Id), ct);
        Assert.Equal([PortalRoles.Operator], updated!.Roles);
        Assert.True(updated.IsLocked);

        using var locked = await ApiClient.LoginAsync(fixture.Factory.CreateClient(), user.Email, "Crud-Passw0rd!", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);

        using var unlock = await admin.PutAsJsonAsync(ApiRoutes.User(user.Id), new UpdateUserRequest(null, false), ct);
        using var reset = await admin.PostAsJsonAsync(ApiRoutes.UserPassword(user.Id), new ResetPasswordRequest("New-Crud-Passw0rd!"), ct);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var signedIn = await ApiClient.LoginAsync(fixture.Factory.CreateClient(), user.Email, "New-Crud-Passw0rd!", ct);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task Delete_LastAdmin_IsRefusedAndNothingChanges()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var me = (await admin.GetFromJsonAsync<List<UserDto>>(ApiRoutes.Users, ct))!.Single(u => u.Email == PortalFactory.AdminEmail);

        using var delete = await admin.DeleteAsync(ApiRoutes.User(me.Id), ct);
        using var demote = await admin.PutAsJsonAsync(ApiRoutes.User(me.Id), new UpdateUserRequest([PortalRoles.Viewer], null), ct);

        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("last admin", await delete.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("last admin", await demote.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        var after = await admin.GetFromJsonAsync<UserDto>(ApiRoutes.User(me.Id), ct);
        Assert.Equal([PortalRoles.Admin], after!.Roles);
    }

    [Theory]
    [InlineData("not-an-email", "Valid-Passw0rd!", PortalRoles.Viewer, "valid email")]
    [InlineData("weak@portal.local", "short", PortalRoles.Viewer, "Passwords must")]
    [InlineData("role@portal.local", "Valid-Passw0rd!", "Superuser", "Unknown role")]
    public async Task Create_BadInput_Returns400ProblemAndCreatesNothing(string email, string password, string role, string message)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);

        using var response = await admin.PostAsJsonAsync(ApiRoutes.Users, new CreateUserRequest(email, password, [role]), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        var users = await admin.GetFromJsonAsync<List<UserDto>>(ApiRoutes.Users, ct);
        Assert.DoesNotContain(users!, u => u.Email == email);
    }

    [Fact]
    public async Task Create_DuplicateEmail_Returns409()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await ApiClient.CreateUserAsync(admin, "twice@portal.local", "Twice-Passw0rd!", PortalRoles.Viewer, ct);

        using var again = await admin.PostAsJsonAsync(ApiRoutes.Users, new CreateUserRequest("twice@portal.local", "Twice-Passw0rd!", [PortalRoles.Admin]), ct);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400Problem()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);

        using var response = await admin.PostAsync(ApiRoutes.Users, new StringContent("{\"email\": ", System.Text.Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_UnknownUser_Returns404Problem()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);

        using var response = await admin.GetAsync(ApiRoutes.User("no-such-id"), ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

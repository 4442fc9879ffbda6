using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class AuthApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_BootstrapAdmin_ReturnsBearerTokenThatOpensTheApi()
    {
        using var client = fixture.Factory.CreateClient();

        using var login = await ApiClient.LoginAsync(client, PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct));
        Assert.Equal("Bearer", body.RootElement.GetProperty("tokenType").GetString());

        using var client2 = await ApiClient.AdminAsync(fixture.Factory, ct);
        using var users = await client2.GetAsync(ApiRoutes.Users, ct);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        var admin = Assert.Single((await users.Content.ReadFromJsonAsync<List<Portal.Shared.Users.UserDto>>(ct))!, u => u.Email == PortalFactory.AdminEmail);
        Assert.NotNull(admin.LastSignInAt);
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401()
    {
        using var client = fixture.Factory.CreateClient();

        using var login = await ApiClient.LoginAsync(client, "nobody@portal.local", "Wrong-Passw0rd!", ct);

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Login_RepeatedFailures_LocksThatAddressOutEvenForTheRightPassword()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var user = await ApiClient.CreateUserAsync(admin, "lockout@portal.local", "Right-Passw0rd!", PortalRoles.Viewer, ct);
        using var client = fixture.Factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var failed = await ApiClient.LoginAsync(client, user.Email, "Wrong-Passw0rd!", ct);
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var locked = await ApiClient.LoginAsync(client, user.Email, "Right-Passw0rd!", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("LockedOut", await locked.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        // Locked for the address the failures came from, not the account (AccountSecurityTests try other addresses).
        var shown = await admin.GetFromJsonAsync<Portal.Shared.Users.UserDto>(ApiRoutes.User(user.Id), ct);
        Assert.False(shown!.IsLocked);
    }

    [Fact]
    public async Task Register_Anyone_IsRefused()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.PostAsJsonAsync(ApiRoutes.Auth + "/register",
            new { email = "self@portal.local", password = "Self-Passw0rd!" }, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Self-registration", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        using var shouldFail = await ApiClient.LoginAsync(client, "self@portal.local", "Self-Passw0rd!", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, shouldFail.StatusCode);
    }

    [Fact]
    public async Task BearerToken_UserDemoted_StopsWorkingOnTheApiAndNeverOpensPages()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var user = await ApiClient.CreateUserAsync(admin, "demoted@portal.local", "Demoted-Passw0rd!", PortalRoles.Admin, ct);
        using var demoted = await ApiClient.SignedInAsync(fixture.Factory, user.Email, "Demoted-Passw0rd!", ct);
        using (var page = await demoted.GetAsync("/users", ct))
        {
            // Pages take only the sign-in cookie: a bearer token is not a browser session.
            Assert.Contains("/Account/Login", page.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        }

        using (var demote = await admin.PutAsJsonAsync(ApiRoutes.User(user.Id), new Portal.Shared.Users.UpdateUserRequest([PortalRoles.Viewer], null), ct))
        {
            Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
        }

        using var after = await demoted.GetAsync(ApiRoutes.Users, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task BearerToken_UserDeleted_StopsWorkingAtOnce()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var user = await ApiClient.CreateUserAsync(admin, "short-lived@portal.local", "Short-Passw0rd!", PortalRoles.Admin, ct);
        using var doomed = await ApiClient.SignedInAsync(fixture.Factory, user.Email, "Short-Passw0rd!", ct);
        using (var before = await doomed.GetAsync(ApiRoutes.Users, ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var deleted = await admin.DeleteAsync(ApiRoutes.User(user.Id), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var after = await doomed.GetAsync(ApiRoutes.Users, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}

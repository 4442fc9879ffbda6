using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Portal.Features.Audit;
using Portal.Shared.Audit;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Tokens;
using Portal.Shared.Users;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// The account's own secrets, attacked with what an attacker has: a leaked low-scoped access token, a stolen sign-in
/// token, and wrong passwords from other addresses. The portal listens on 127.0.0.1; "other addresses" are clients bound
/// to 127.0.0.2-127.0.0.9, so every byte stays on loopback.
/// </summary>
public sealed class AccountSecurityTests : IAsyncLifetime
{
    private const string Password = "Owner-Passw0rd!";
    private const string NewPassword = "Taken-Over-Passw0rd!";
    private const string Wrong = "Wrong-Passw0rd!";

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private Uri address = default!;
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Security:AccountLockoutMaxFailedAttempts"] = "12";
        address = portal.StartOnLoopback();
        admin = await ApiClient.SignedInAsync(From("127.0.0.1"), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct);
    }

    [Fact]
    public async Task ManageInfo_AdminsViewerToken_Is403AndThePasswordIsUnchanged()
    {
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("read-only dashboard", 30, PortalRoles.Viewer), ct);
        var secret = (await created.Content.ReadFromJsonAsync<CreatedAccessToken>(ct))!.Secret;
        using var token = From("127.0.0.1");
        token.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        using var change = await token.PostAsJsonAsync(ApiRoutes.Auth + "/manage/info",
            new { oldPassword = PortalFactory.AdminPassword, newPassword = NewPassword }, ct);
        using var read = await token.GetAsync(ApiRoutes.Auth + "/manage/info", ct);
        using var email = await token.PostAsJsonAsync(ApiRoutes.Auth + "/manage/info", new { newEmail = "attacker@portal.local" }, ct);

        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Equal("application/problem+json", change.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Sign in with your password", await change.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, email.StatusCode);
        using (var old = await ApiClient.LoginAsync(From("127.0.0.1"), PortalFactory.AdminEmail, PortalFactory.AdminPassword, ct))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }

        using var taken = await ApiClient.LoginAsync(From("127.0.0.1"), PortalFactory.AdminEmail, NewPassword, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, taken.StatusCode);
    }

    [Fact]
    public async Task ManageInfo_WrongOldPasswordGuesses_LockTheChangeAndAreAudited()
    {
        var user = await ApiClient.CreateUserAsync(admin, "guessed@portal.local", Password, PortalRoles.Operator, ct);
        // A stolen sign-in token: it may guess the current password only as often as a sign-in may.
        using var stolen = await ApiClient.SignedInAsync(From("127.0.0.1"), user.Email, Password, ct);

        for (var i = 0; i < 5; i++)
        {
            using var guess = await stolen.PostAsJsonAsync(ApiRoutes.Auth + "/manage/info", new { oldPassword = Wrong + i, newPassword = NewPassword }, ct);
            Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);
        }

        using var right = await stolen.PostAsJsonAsync(ApiRoutes.Auth + "/manage/info", new { oldPassword = Password, newPassword = NewPassword }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("LockedOut", await right.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        var entries = await PasswordChangesAsync(user.Id);
        Assert.Equal(5, entries.Count(e => e.Outcome == AuditOutcomes.Failure));
        Assert.Equal("wrong current password; the account is now locked (through the API)", entries.First(e => e.Outcome == AuditOutcomes.Failure).Detail);
        Assert.Equal(AuditOutcomes.Denied, entries[0].Outcome);
        Assert.All(entries, e => Assert.Equal((AuditActor.User, user.Email, "127.0.0.1"), (e.ActorKind, e.ActorName, e.SourceIp)));
        // The owner, elsewhere, still signs in with the password that was never changed.
        using var owner = await ApiClient.LoginAsync(From("127.0.0.9"), user.Email, Password, ct);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task ManageInfo_RightOldPassword_ChangesItAndIsAudited()
    {
        var user = await ApiClient.CreateUserAsync(admin, "changer@portal.local", Password, PortalRoles.Viewer, ct);
        using var self = await ApiClient.SignedInAsync(From("127.0.0.1"), user.Email, Password, ct);

        using var change = await self.PostAsJsonAsync(ApiRoutes.Auth + "/manage/info", new { oldPassword = Password, newPassword = NewPassword }, ct);

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var entry = Assert.Single(await PasswordChangesAsync(user.Id));
        Assert.Equal((AuditOutcomes.Success, "through the API"), (entry.Outcome, entry.Detail));
        using var signIn = await ApiClient.LoginAsync(From("127.0.0.1"), user.Email, NewPassword, ct);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPasswordsFromAnotherAddress_DoNotLockTheOwnerOut()
    {
        var user = await ApiClient.CreateUserAsync(admin, "target@portal.local", Password, PortalRoles.Admin, ct);
        using var attacker = From("127.0.0.2");

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await ApiClient.LoginAsync(attacker, user.Email, Wrong, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var attackerRight = await ApiClient.LoginAsync(attacker, user.Email, Password, ct);
        using var owner = await ApiClient.LoginAsync(From("127.0.0.1"), user.Email, Password, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, attackerRight.StatusCode);
        Assert.Contains("LockedOut", await attackerRight.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.False((await admin.GetFromJsonAsync<UserDto>(ApiRoutes.User(user.Id), ct))!.IsLocked);
    }

    [Fact]
    public async Task SignIn_WrongPasswordsFromManyAddresses_LockTheAccountEverywhere()
    {
        var user = await ApiClient.CreateUserAsync(admin, "sprayed@portal.local", Password, PortalRoles.Viewer, ct);

        // Four addresses, three wrong passwords each: no address reaches its own lock (5), the account reaches 12.
        foreach (var source in new[] { "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6" })
        {
            using var client = From(source);
            for (var i = 0; i < 3; i++)
            {
                using var wrong = await ApiClient.LoginAsync(client, user.Email, Wrong, ct);
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }
        }

        using var owner = await ApiClient.LoginAsync(From("127.0.0.1"), user.Email, Password, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, owner.StatusCode);
        Assert.True((await admin.GetFromJsonAsync<UserDto>(ApiRoutes.User(user.Id), ct))!.IsLocked);
    }

    private async Task<List<AuditEntryDto>> PasswordChangesAsync(string userId) =>
        (await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.UserPasswordChanged}&target={Uri.EscapeDataString(AuditTargets.User(userId))}&pageSize=100", ct))!
            .Items.ToList();

    /// <summary>A client whose connections come from <paramref name="source"/> (a loopback address).</summary>
    private HttpClient From(string source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, token) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = address,
    };

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Features.Account;
using Portal.Features.Audit;
using Portal.Features.Users;
using Portal.Shared.Audit;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Two-factor sign-in over <c>/api/v1/auth/login</c> (Identity's own <c>twoFactorCode</c> / <c>twoFactorRecoveryCode</c>),
/// with codes computed here as an authenticator app would, and the requirement for admins.
/// </summary>
public sealed class TwoFactorTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string Password = "Second-Factor-Passw0rd!";

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_TwoFactorUserWithoutCode_Returns401RequiresTwoFactor()
    {
        var email = await CreateUserWithTwoFactorAsync("2fa-nocode@portal.local");
        using var client = fixture.Factory.CreateClient();

        using var login = await LoginAsync(client, new { email, password = Password });

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal("RequiresTwoFactor", await DetailAsync(login));
    }

    [Fact]
    public async Task Login_RightCode_Returns200AndRecordsOneSuccess()
    {
        var email = await CreateUserWithTwoFactorAsync("2fa-right@portal.local");
        var key = await KeyAsync(fixture.Factory, email);
        using var client = fixture.Factory.CreateClient();

        using var login = await LoginAsync(client, new { email, password = Password, twoFactorCode = Totp.Now(key) });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var signIns = await SignInEntriesAsync(email);
        var success = Assert.Single(signIns);
        Assert.Equal(AuditOutcomes.Success, success.Outcome);
    }

    [Fact]
    public async Task Login_WrongCode_Returns401RecordsOneFailureAndCountsTowardsLockout()
    {
        var email = await CreateUserWithTwoFactorAsync("2fa-wrong@portal.local");
        var key = await KeyAsync(fixture.Factory, email);
        using var client = fixture.Factory.CreateClient();

        using var login = await LoginAsync(client, new { email, password = Password, twoFactorCode = Totp.Wrong(key) });

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var failure = Assert.Single(await SignInEntriesAsync(email));
        Assert.Equal((AuditOutcomes.Failure, "wrong two-factor code"), (failure.Outcome, failure.Detail));
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.Equal(1, await users.GetAccessFailedCountAsync((await users.FindByEmailAsync(email))!));
    }

    [Fact]
    public async Task Login_RecoveryCode_Returns200OnceOnly()
    {
        var email = await CreateUserWithTwoFactorAsync("2fa-recovery@portal.local");
        var recoveryCode = (await RecoveryCodesAsync(fixture.Factory, email))[0];
        using var client = fixture.Factory.CreateClient();

        using var first = await LoginAsync(client, new { email, password = Password, twoFactorRecoveryCode = recoveryCode });
        using var again = await LoginAsync(client, new { email, password = Password, twoFactorRecoveryCode = recoveryCode });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task AdminApi_TwoFactorRequired_Returns403UntilSetUp()
    {
        await using var portal = new PortalFactory();
        portal.Settings["Portal:Security:RequireTwoFactorForAdmins"] = "true";
        using var admin = await ApiClient.AdminAsync(portal, ct);

        using var refused = await admin.GetAsync(ApiRoutes.Users, ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("two-factor", await DetailAsync(refused), StringComparison.OrdinalIgnoreCase);

        await EnableTwoFactorAsync(portal, PortalFactory.AdminEmail);
        using var client = portal.CreateClient();
        using var login = await LoginAsync(client, new
        {
            email = PortalFactory.AdminEmail, password = PortalFactory.AdminPassword, twoFactorCode = Totp.Now(await KeyAsync(portal, PortalFactory.AdminEmail)),
        });
        login.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct));
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        using var allowed = await client.GetAsync(ApiRoutes.Users, ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task AdminToggle_OverridesTheSettingAndOnlyConcernsAdmins()
    {
        await using var portal = new PortalFactory();
        using var admin = await ApiClient.AdminAsync(portal, ct);
        await ApiClient.CreateUserAsync(admin, "viewer-2fa@portal.local", Password, PortalRoles.Viewer, ct);
        using var viewer = await ApiClient.SignedInAsync(portal, "viewer-2fa@portal.local", Password, ct);
        var policy = portal.Services.GetRequiredService<TwoFactorPolicy>();

        await policy.SetRequiredForAdminsAsync(true, Portal.Features.Audit.AuditActor.System, ct);
        using (var refused = await admin.GetAsync(ApiRoutes.Devices, ct))
        using (var viewerAllowed = await viewer.GetAsync(ApiRoutes.Devices, ct))
        {
            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK), (refused.StatusCode, viewerAllowed.StatusCode));
        }

        Assert.True(File.Exists(Path.Combine(portal.DataDirectory, "security-settings.json")));
        await policy.SetRequiredForAdminsAsync(false, Portal.Features.Audit.AuditActor.System, ct);
        using var allowed = await admin.GetAsync(ApiRoutes.Devices, ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var audited = await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.SecuritySettingChanged}", ct);
        Assert.Contains(audited!.Items, e => e.Detail == "two-factor sign-in for admins required");
    }

    [Fact]
    public async Task SetUpPage_Opened_StoresAKeyWithoutRotatingTheSecurityStamp()
    {
        const string email = "2fa-open-page@portal.local";
        using (var admin = await ApiClient.AdminAsync(fixture.Factory, ct))
        {
            await ApiClient.CreateUserAsync(admin, email, Password, PortalRoles.Operator, ct);
        }

        using var browser = fixture.Factory.CreateClient();
        using (var login = await browser.PostAsJsonAsync(ApiRoutes.Login + "?useCookies=true", new { email, password = Password }, ct))
        {
            login.EnsureSuccessStatusCode();
        }

        var stampBefore = await StampAsync(email);
        using var page = await browser.GetAsync(new Uri("/Account/Manage/TwoFactor", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var key = await KeyAsync(fixture.Factory, email);
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Contains(AuthenticatorSetup.FormatKey(key), await page.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(stampBefore, await StampAsync(email));
    }

    private async Task<string?> StampAsync(string email)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.GetSecurityStampAsync((await users.FindByEmailAsync(email))!);
    }

    private async Task<string> CreateUserWithTwoFactorAsync(string email)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await ApiClient.CreateUserAsync(admin, email, Password, PortalRoles.Operator, ct);
        await EnableTwoFactorAsync(fixture.Factory, email);
        return email;
    }

    /// <summary>What the set-up page does: a new key, a code from it verified, two-factor on, recovery codes made.</summary>
    private static async Task EnableTwoFactorAsync(PortalFactory portal, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        Assert.True(await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Totp.Now(key)));
        Assert.False(await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Totp.Wrong(key)));
        await users.SetTwoFactorEnabledAsync(user, true);
    }

    private static async Task<string> KeyAsync(PortalFactory portal, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return (await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!))!;
    }

    private static async Task<IReadOnlyList<string>> RecoveryCodesAsync(PortalFactory portal, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByEmailAsync(email))!, 10))!];
    }

    private async Task<HttpResponseMessage> LoginAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync(ApiRoutes.Login, body, ct);

    private async Task<string> DetailAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return problem.RootElement.GetProperty("detail").GetString() ?? "";
    }

    /// <summary>Sign-ins of that user as an actor or as the account a failure names.</summary>
    private async Task<IReadOnlyList<AuditEntryDto>> SignInEntriesAsync(string email)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var page = await admin.GetFromJsonAsync<AuditEntryPage>($"{ApiRoutes.Audit}?action={AuditActions.SignIn}&actor={Uri.EscapeDataString(email)}&pageSize=500", ct);
        return page!.Items;
    }
}

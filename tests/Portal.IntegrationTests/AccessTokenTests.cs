using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Tokens;
using Portal.Shared.Users;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Personal access tokens: shown once, stored hashed, acting with their role on the API, revocable.</summary>
public sealed class AccessTokenTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync() => admin = await ApiClient.AdminAsync(portal, ct);

    [Fact]
    public async Task Token_Created_IsShownOnceStoredHashedAndWorksWithItsRole()
    {
        var created = await CreateAsync(admin, new CreateAccessTokenRequest("ci viewer", 30, PortalRoles.Viewer));
        Assert.StartsWith("pat_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(created.Secret[..12], created.Token.Prefix);

        using var bearer = Bearer(created.Secret);
        using (var devices = await bearer.GetAsync(ApiRoutes.Devices, ct))
        {
            Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        }

        // A Viewer token cannot change anything, whoever owns it.
        using (var group = await bearer.PostAsJsonAsync(ApiRoutes.Groups, new { name = "nope" }, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, group.StatusCode);
        }

        // Listed with its last use, never with the secret; the database holds only a hash.
        var listed = Assert.Single((await admin.GetFromJsonAsync<List<AccessTokenDto>>(ApiRoutes.Tokens, ct))!);
        Assert.NotNull(listed.LastUsedAt);
        Assert.DoesNotContain(created.Secret, await (await admin.GetAsync(ApiRoutes.Tokens, ct)).Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret, await DatabaseTextAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Revoked_StopsWorkingAtOnce_AndCannotMintTokens()
    {
        var created = await CreateAsync(admin, new CreateAccessTokenRequest("deployer", 7, PortalRoles.Operator));
        using var bearer = Bearer(created.Secret);
        using (var mint = await bearer.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("child"), ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, mint.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync(ApiRoutes.Token(created.Token.Id), ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await bearer.GetAsync(ApiRoutes.Devices, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var audit = (await admin.GetFromJsonAsync<Portal.Shared.Audit.AuditEntryPage>(ApiRoutes.Audit + "?target=token:" + created.Token.Id, ct))!;
        Assert.Equal(["token.revoked", "token.created"], audit.Items.Select(e => e.Action));
        Assert.All(audit.Items, e => Assert.Equal(PortalFactory.AdminEmail, e.ActorName));
        Assert.DoesNotContain(audit.Items, e => (e.Detail ?? "").Contains(created.Secret, StringComparison.Ordinal));
        using var forged = Bearer("pat_" + new string('A', 43));
        using var unknown = await forged.GetAsync(ApiRoutes.Devices, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Token_RoleAboveItsOwner_IsRefused_AndADemotedOwnersTokenLosesRights()
    {
        var operatorUser = await ApiClient.CreateUserAsync(admin, "op@portal.local", "Operator-Passw0rd!", PortalRoles.Operator, ct);
        using var op = await ApiClient.SignedInAsync(portal, "op@portal.local", "Operator-Passw0rd!", ct);
        using (var tooHigh = await op.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("escalate", 30, PortalRoles.Admin), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, tooHigh.StatusCode);
            Assert.Contains("more rights than its owner", (await tooHigh.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        var created = await CreateAsync(op, new CreateAccessTokenRequest("pipeline", 30));
        Assert.Equal(PortalRoles.Operator, created.Token.Role);
        using var bearer = Bearer(created.Secret);
        using (var ok = await bearer.PostAsJsonAsync(ApiRoutes.Models, new { name = "from-pipeline" }, ct))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        // Other people's tokens are not theirs to list or revoke.
        using var othersRevoke = await op.DeleteAsync(ApiRoutes.Token((await CreateAsync(admin, new CreateAccessTokenRequest("admin's"))).Token.Id), ct);
        Assert.Equal(HttpStatusCode.NotFound, othersRevoke.StatusCode);

        using (var demote = await admin.PutAsJsonAsync(ApiRoutes.User(operatorUser.Id), new UpdateUserRequest([PortalRoles.Viewer], null), ct))
        {
            demote.EnsureSuccessStatusCode();
        }

        using var denied = await bearer.PostAsJsonAsync(ApiRoutes.Models, new { name = "after-demotion" }, ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Theory]
    [InlineData("", 30, "Give the token a name")]
    [InlineData("x", 0, "between 1 and 365 days")]
    [InlineData("x", 366, "between 1 and 365 days")]
    public async Task Token_BadRequest_GetsAProblemSayingWhy(string name, int days, string expected)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest(name, days), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
    }

    private HttpClient Bearer(string secret)
    {
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private async Task<CreatedAccessToken> CreateAsync(HttpClient client, CreateAccessTokenRequest request)
    {
        using var response = await client.PostAsJsonAsync(ApiRoutes.Tokens, request, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<CreatedAccessToken>(ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }

    /// <summary>Everything the database holds, as text: the SQLite file's bytes, or every PostgreSQL row of the tokens and audit tables.</summary>
    private async Task<string> DatabaseTextAsync(CancellationToken ct)
    {
        if (!portal.OnPostgres)
        {
            // The database file and its write-ahead log, where the newest rows may still be.
            var files = new[] { "portal.db", "portal.db-wal" }.Select(f => Path.Combine(portal.DataDirectory, f)).Where(File.Exists);
            var text = new System.Text.StringBuilder();
            foreach (var file in files)
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
                text.Append(await reader.ReadToEndAsync(ct));
            }

            return text.ToString();
        }

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Portal.Data.PortalDbContext>();
        var rows = await db.Database.SqlQueryRaw<string>("""SELECT t::text AS "Value" FROM "PersonalAccessTokens" t UNION ALL SELECT a::text FROM "AuditLog" a""").ToListAsync(ct);
        return string.Join('\n', rows);
    }
}

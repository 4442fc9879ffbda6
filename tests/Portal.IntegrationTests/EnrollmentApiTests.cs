using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Security;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class EnrollmentApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateToken_Operator_ShownOnceThenListedWithoutTheSecret()
    {
        using var @operator = await OperatorAsync("token-maker@portal.local");

        using var created = await @operator.PostAsJsonAsync(ApiRoutes.EnrollmentTokens,
            new CreateEnrollmentTokenRequest("Madrid line 3", 48, 5, new Dictionary<string, string> { ["site"] = "madrid" }), ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<CreatedEnrollmentToken>(ct))!;
        Assert.StartsWith("enr_", token.Secret, StringComparison.Ordinal);
        Assert.Equal(5, token.Token.UsesLeft);
        var list = await @operator.GetStringAsync(ApiRoutes.EnrollmentTokens, ct);
        Assert.Contains("Madrid line 3", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Secret, list, StringComparison.Ordinal);
        await using var db = await Db();
        var stored = await db.EnrollmentTokens.SingleAsync(t => t.Id == token.Token.Id, ct);
        Assert.Equal(SecretTokens.Hash(token.Secret), stored.TokenHash);
    }

    [Fact]
    public async Task CreateToken_Viewer_Gets403()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await ApiClient.CreateUserAsync(admin, "token-viewer@portal.local", "Viewer-Passw0rd!", PortalRoles.Viewer, ct);
        using var viewer = await ApiClient.SignedInAsync(fixture.Factory, "token-viewer@portal.local", "Viewer-Passw0rd!", ct);

        using var created = await viewer.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest("nope"), ct);
        using var listed = await viewer.GetAsync(ApiRoutes.EnrollmentTokens, ct);

        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listed.StatusCode);
    }

    [Fact]
    public async Task CreateToken_BadLabel_Returns400Problem()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);

        using var created = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens,
            new CreateEnrollmentTokenRequest("bad", Labels: new Dictionary<string, string> { ["Site Name"] = "x" }), ct);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("Label key 'Site Name' is not valid", await created.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_SingleUseToken_FirstDeviceGetsHashedSecretSecondIsRefused()
    {
        var token = await CreateTokenAsync("single use", 1);
        using var anonymous = fixture.Factory.CreateClient();

        using var first = await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(token.Secret, "edge-01"), ct);
        using var second = await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(token.Secret, "edge-02"), ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var enrolled = (await first.Content.ReadFromJsonAsync<EnrollResponse>(ct))!;
        Assert.StartsWith($"dev_{enrolled.DeviceId}.", enrolled.DeviceSecret, StringComparison.Ordinal);
        await using var db = await Db();
        var device = await db.Devices.SingleAsync(d => d.Id == enrolled.DeviceId, ct);
        Assert.Equal(SecretTokens.Hash(enrolled.DeviceSecret), device.SecretHash);
        Assert.Equal("madrid", device.Labels["site"]);
        await AssertRefusedAsync(second, "used up");
    }

    [Fact]
    public async Task Enroll_ManyAgentsAtOnceWithOneToken_EachUseGoesToOneDeviceAndNoneIsLost()
    {
        // A fleet rolled out with one token enrolls in parallel: every use is given while any remain, never more.
        var token = await CreateTokenAsync("parallel", 6);
        using var anonymous = fixture.Factory.CreateClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(token.Secret, $"parallel-{i:D2}"), ct)));

        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            await AssertRefusedAsync(refused, "used up");
        }

        await using var db = await Db();
        Assert.Equal(6, await db.Devices.CountAsync(d => d.Name.StartsWith("parallel-"), ct));
        Assert.Equal(6, (await db.EnrollmentTokens.SingleAsync(t => t.Name == "parallel", ct)).Uses);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Enroll_RevokedExpiredOrUnknownToken_IsRefusedWithTheReason()
    {
        var revoked = await CreateTokenAsync("to revoke", 3);
        var expired = await CreateTokenAsync("to expire", 3);
        using (var admin = await ApiClient.AdminAsync(fixture.Factory, ct))
        using (var revoke = await admin.DeleteAsync(ApiRoutes.EnrollmentToken(revoked.Token.Id), ct))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        await using (var db = await Db())
        {
            await db.EnrollmentTokens.Where(t => t.Id == expired.Token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), ct);
        }

        using var anonymous = fixture.Factory.CreateClient();
        await AssertRefusedAsync(await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(revoked.Secret, "edge"), ct), "was revoked");
        await AssertRefusedAsync(await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(expired.Secret, "edge"), ct), "expired");
        await AssertRefusedAsync(await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest("enr_made-up", "edge"), ct), "does not know");
        await AssertRefusedAsync(await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest("hello", "edge"), ct), "not an enrollment token");
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
    }

    private async Task<CreatedEnrollmentToken> CreateTokenAsync(string name, int uses)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        using var created = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens,
            new CreateEnrollmentTokenRequest(name, 1, uses, new Dictionary<string, string> { ["site"] = "madrid" }), ct);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<CreatedEnrollmentToken>(ct))!;
    }

    private async Task<HttpClient> OperatorAsync(string email)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await ApiClient.CreateUserAsync(admin, email, "Operator-Passw0rd!", PortalRoles.Operator, ct);
        return await ApiClient.SignedInAsync(fixture.Factory, email, "Operator-Passw0rd!", ct);
    }

    private Task<PortalDbContext> Db() =>
        fixture.Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Shared.Audit;
using Portal.Shared.Devices;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Shared.Tokens;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// NUL broke PostgreSQL (500) and line breaks or direction overrides forged log lines: every name, label and e-mail the
/// API takes refuses them with a 400 problem that says so. Runs on PostgreSQL too (PORTAL_TEST_DATABASE=Postgres).
/// </summary>
public sealed class InputTextTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string Refused = "contains an invisible or control character";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public static TheoryData<string> BadCharacters => ["\0", "\u202E", "\u2066", "\n", "\u001b"];

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task GroupName_WithControlCharacter_Is400(string bad)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await AssertRefusedAsync(await admin.PostAsJsonAsync(ApiRoutes.Groups, new SaveGroupRequest($"line{bad}3", null, null, null), ct));
    }

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task AccessTokenName_WithControlCharacter_Is400(string bad)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await AssertRefusedAsync(await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest($"nightly{bad}upload"), ct));
    }

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task EnrollmentTokenName_WithControlCharacter_Is400(string bad)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        await AssertRefusedAsync(await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest($"mad{bad}rid"), ct));
    }

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task DeviceName_WithControlCharacter_Is400AndTheRefusalIsAudited(string bad)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "bad names", ct);
        using var anonymous = fixture.Factory.CreateClient();

        await AssertRefusedAsync(await anonymous.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(token, $"press{bad}07"), ct));
        var audit = await admin.GetFromJsonAsync<AuditEntryPage>(ApiRoutes.Audit + "?action=device.enrolled&pageSize=500", ct);
        Assert.Contains(audit!.Items, e => e.ActorName == "press\uFFFD07");
    }

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task ModelName_WithControlCharacter_Is400(string bad)
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        using var response = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest($"defects{bad}"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task LoginEmail_WithControlCharacter_Is400NotA500(string bad)
    {
        using var anonymous = fixture.Factory.CreateClient();
        await AssertRefusedAsync(await ApiClient.LoginAsync(anonymous, $"admin@portal.local{bad}", "whatever", ct));
    }

    [Fact]
    public async Task ModelNameAndLabelKey_WithTrailingNewline_Are400()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        using var model = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("evil\n"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, model.StatusCode);

        var device = (await ApiClient.EnrollDeviceAsync(admin, "label-target", ct)).DeviceId;
        using var labels = await admin.PutAsJsonAsync(ApiRoutes.DeviceLabels(device), new SetLabelsRequest(new Dictionary<string, string> { ["evil\n"] = "x" }), ct);
        Assert.Equal(HttpStatusCode.BadRequest, labels.StatusCode);
    }

    [Fact]
    public async Task AuditSearch_WithNul_IsAnswerOrProblemNotA500()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);

        using var response = await admin.GetAsync(ApiRoutes.Audit + "?actor=admin%00", ct);

        // SQLite finds nothing; PostgreSQL refuses the NUL (22021), which is the caller's text, not a server fault.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Contains("NUL", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EnrollmentToken_ShorterThanFiveMinutes_Is400()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);

        using var tooShort = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest("blink", 0.0003), ct);
        using var fiveMinutes = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest("quick", 5 / 60.0), ct);

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("between 5 minutes", (await tooShort.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, fiveMinutes.StatusCode);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(Refused, body, StringComparison.Ordinal);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Shared.Devices;
using Portal.Shared.Routes;
using Portal.Shared.Tokens;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Rate limits, security headers, body size limits and the agent connection cap, on a real Kestrel port.</summary>
public sealed class HardeningTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private Uri address = default!;

    public ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Security:RateLimits:SignInPerMinute"] = "3";
        portal.Settings["Portal:Security:RateLimits:EnrollmentPerMinute"] = "2";
        portal.Settings["Portal:Security:RateLimits:TokenCreationPerMinute"] = "2";
        portal.Settings["Portal:Security:MaxAgentConnections"] = "1";
        portal.Settings["Portal:Security:MaxRequestBodyMb"] = "1";
        address = portal.StartOnLoopback();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task SignIn_TooOften_Gets429WithRetryAfter()
    {
        using var http = new HttpClient { BaseAddress = address };
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await http.PostAsJsonAsync(ApiRoutes.Login, new { email = PortalFactory.AdminEmail, password = "wrong-" + i }, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await http.PostAsJsonAsync(ApiRoutes.Login, new { email = PortalFactory.AdminEmail, password = PortalFactory.AdminPassword }, ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("try again in", (await limited.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrollmentAndTokenCreation_TooOften_Get429()
    {
        using var http = new HttpClient { BaseAddress = address };
        HttpStatusCode last = default;
        for (var i = 0; i < 3; i++)
        {
            using var enroll = await http.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest("enr_not-a-token", "x"), ct);
            last = enroll.StatusCode;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);

        using var admin = await SignInAsync();
        for (var i = 0; i < 2; i++)
        {
            using var created = await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("t" + i), ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var third = await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("t3"), ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task Pages_CarrySecurityHeaders_AndOversizedBodiesAreRefused()
    {
        using var http = new HttpClient { BaseAddress = address };
        using var login = await http.GetAsync(new Uri("/Account/Login", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var csp = string.Join(";", login.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", login.Headers.GetValues("Referrer-Policy").Single());
        // The form carries an antiforgery token.
        Assert.Contains("__RequestVerificationToken", await login.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        using var admin = await SignInAsync();
        using var huge = new StringContent("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", System.Text.Encoding.UTF8, "application/json");
        using var refused = await admin.PostAsync(ApiRoutes.Groups, huge, ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    [Fact]
    public async Task AgentConnections_BeyondTheCap_AreRefusedWith503_WhileTheConnectedOneStays()
    {
        using var admin = await SignInAsync();
        var first = await ApiClient.EnrollDeviceAsync(admin, "first", ct);
        var second = await ApiClient.EnrollDeviceAsync(admin, "second", ct);
        await using var connected = Hub(first.DeviceSecret);
        await connected.StartAsync(ct);

        await using var extra = Hub(second.DeviceSecret);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => extra.StartAsync(ct));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HubConnectionState.Connected, connected.State);
        await connected.InvokeAsync("Heartbeat", 5, ct);
    }

    [Fact]
    public async Task Secrets_AreNeverLogged()
    {
        using var admin = await SignInAsync();
        var token = await ApiClient.CreateEnrollmentTokenAsync(admin, "log-check", ct);
        using var enrolled = await admin.PostAsJsonAsync(ApiRoutes.AgentEnroll, new EnrollRequest(token, "log-device"), ct);
        var device = (await enrolled.Content.ReadFromJsonAsync<EnrollResponse>(ct))!;
        using var created = await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("log-check"), ct);
        var pat = (await created.Content.ReadFromJsonAsync<CreatedAccessToken>(ct))!.Secret;
        using (var bearer = new HttpClient { BaseAddress = address })
        {
            bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pat);
            (await bearer.GetAsync(ApiRoutes.Devices, ct)).Dispose();
            bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pat[..^3] + "xyz");
            (await bearer.GetAsync(ApiRoutes.Devices, ct)).Dispose();
        }

        await using (var hub = Hub(device.DeviceSecret))
        {
            await hub.StartAsync(ct);
            await hub.InvokeAsync("Heartbeat", 5, ct);
        }

        await using (var forged = Hub(device.DeviceSecret[..^3] + "xyz"))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => forged.StartAsync(ct));
        }

        Assert.NotEmpty(portal.LogLines);
        foreach (var secret in new[] { token, device.DeviceSecret, pat, PortalFactory.AdminPassword })
        {
            Assert.DoesNotContain(portal.LogLines, line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(secret[..^3], StringComparison.Ordinal));
        }
    }

    private HubConnection Hub(string secret) => new HubConnectionBuilder()
        .WithUrl(new Uri(address, ApiRoutes.AgentHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(secret))
        .AddMessagePackProtocol()
        .Build();

    private async Task<HttpClient> SignInAsync()
    {
        var http = new HttpClient { BaseAddress = address };
        using var login = await http.PostAsJsonAsync(ApiRoutes.Login, new { email = PortalFactory.AdminEmail, password = PortalFactory.AdminPassword }, ct);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();
}

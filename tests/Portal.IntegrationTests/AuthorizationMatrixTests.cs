using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Shared.Hubs;
using Portal.Shared.Routes;
using Portal.Shared.Security;
using Portal.Shared.Tokens;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Who may call what. Every /api/v1 endpoint comes from the portal's endpoint data source, so a new endpoint fails
/// this test until it is given its rule here; each is called as anonymous, Viewer, Operator, Admin, a revoked
/// access token and a device. Every hub method is called by a device, and nobody else gets onto the hub.
/// Every page route answers anonymous visitors with the sign-in page unless it is one of the public ones.
/// </summary>
public sealed partial class AuthorizationMatrixTests : IAsyncLifetime
{
    private enum Access
    {
        Anyone,
        AnySignedIn,
        // A person signed in with their password; access tokens and devices get 403 (the account's own settings).
        PasswordSignIn,
        Device,
        Viewer,
        Operator,
        Admin,
    }

    private enum Caller
    {
        Anonymous,
        Viewer,
        Operator,
        Admin,
        RevokedToken,
        Device,
    }

    private static readonly Dictionary<string, Access> Rules = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/auth/login"] = Access.Anyone,
        ["POST /api/v1/auth/refresh"] = Access.Anyone,
        ["GET /api/v1/auth/manage/info"] = Access.PasswordSignIn,
        ["POST /api/v1/auth/manage/info"] = Access.PasswordSignIn,
        ["POST /api/v1/agent/enroll"] = Access.Anyone,
        ["GET /api/v1/agent/install/{architecture}"] = Access.Anyone,
        ["GET /api/v1/agent/artifacts/{sha256}"] = Access.Device,
        ["GET /api/v1/users"] = Access.Admin,
        ["POST /api/v1/users"] = Access.Admin,
        ["GET /api/v1/users/{id}"] = Access.Admin,
        ["PUT /api/v1/users/{id}"] = Access.Admin,
        ["DELETE /api/v1/users/{id}"] = Access.Admin,
        ["POST /api/v1/users/{id}/password"] = Access.Admin,
        ["GET /api/v1/enrollment-tokens"] = Access.Operator,
        ["POST /api/v1/enrollment-tokens"] = Access.Operator,
        ["DELETE /api/v1/enrollment-tokens/{id}"] = Access.Operator,
        ["GET /api/v1/devices"] = Access.Viewer,
        ["GET /api/v1/devices/{id}"] = Access.Viewer,
        ["GET /api/v1/devices/{id}/telemetry"] = Access.Viewer,
        ["GET /api/v1/devices/{id}/data"] = Access.Viewer,
        ["GET /api/v1/devices/{id}/data/series"] = Access.Viewer,
        ["GET /api/v1/data/series"] = Access.Viewer,
        ["GET /api/v1/devices/{id}/history"] = Access.Viewer,
        ["PUT /api/v1/devices/{id}/labels"] = Access.Operator,
        ["DELETE /api/v1/devices/{id}"] = Access.Operator,
        ["GET /api/v1/devices/{id}/workloads"] = Access.Viewer,
        ["GET /api/v1/devices/{id}/workloads/{name}/logs"] = Access.Viewer,
        ["POST /api/v1/devices/{id}/workloads/{name}/restart"] = Access.Operator,
        ["POST /api/v1/devices/{id}/resync"] = Access.Operator,
        ["GET /api/v1/devices/{id}/actions"] = Access.Viewer,
        ["POST /api/v1/devices/{id}/actions"] = Access.Operator,
        ["GET /api/v1/device-actions"] = Access.Viewer,
        ["POST /api/v1/device-actions"] = Access.Operator,
        ["POST /api/v1/device-actions/batches/{batchId}/approve"] = Access.Admin,
        ["POST /api/v1/device-actions/batches/{batchId}/reject"] = Access.Admin,
        ["GET /api/v1/notification-channels"] = Access.Operator,
        ["GET /api/v1/notification-channels/event-types"] = Access.Operator,
        ["GET /api/v1/notification-channels/{id}"] = Access.Operator,
        ["GET /api/v1/notification-channels/{id}/deliveries"] = Access.Operator,
        ["POST /api/v1/notification-channels"] = Access.Admin,
        ["PUT /api/v1/notification-channels/{id}"] = Access.Admin,
        ["DELETE /api/v1/notification-channels/{id}"] = Access.Admin,
        ["POST /api/v1/notification-channels/{id}/secret"] = Access.Admin,
        ["POST /api/v1/notification-channels/{id}/test"] = Access.Admin,
        ["GET /api/v1/alert-rules"] = Access.Viewer,
        ["GET /api/v1/alert-rules/{id}"] = Access.Viewer,
        ["POST /api/v1/alert-rules"] = Access.Operator,
        ["PUT /api/v1/alert-rules/{id}"] = Access.Operator,
        ["DELETE /api/v1/alert-rules/{id}"] = Access.Operator,
        ["GET /api/v1/alerts"] = Access.Viewer,
        ["GET /api/v1/alerts/counts"] = Access.Viewer,
        ["GET /api/v1/alerts/{id}"] = Access.Viewer,
        ["POST /api/v1/alerts/{id}/ack"] = Access.Operator,
        ["GET /api/v1/alert-silences"] = Access.Viewer,
        ["POST /api/v1/alert-silences"] = Access.Operator,
        ["DELETE /api/v1/alert-silences/{id}"] = Access.Operator,
        ["GET /api/v1/groups"] = Access.Viewer,
        ["POST /api/v1/groups"] = Access.Operator,
        ["GET /api/v1/groups/{id}"] = Access.Viewer,
        ["PUT /api/v1/groups/{id}"] = Access.Operator,
        ["DELETE /api/v1/groups/{id}"] = Access.Operator,
        ["GET /api/v1/groups/{id}/delete-preview"] = Access.Viewer,
        ["GET /api/v1/config/fleet"] = Access.Viewer,
        ["PUT /api/v1/config/fleet"] = Access.Operator,
        ["GET /api/v1/config/fleet/secrets"] = Access.Viewer,
        ["PUT /api/v1/config/fleet/secrets/{name}"] = Access.Operator,
        ["DELETE /api/v1/config/fleet/secrets/{name}"] = Access.Operator,
        ["POST /api/v1/config/fleet/secrets/import"] = Access.Operator,
        ["POST /api/v1/config/fleet/secrets/{name}/reveal"] = Access.Admin,
        ["GET /api/v1/groups/{id}/config"] = Access.Viewer,
        ["PUT /api/v1/groups/{id}/config"] = Access.Operator,
        ["GET /api/v1/groups/{id}/secrets"] = Access.Viewer,
        ["PUT /api/v1/groups/{id}/secrets/{name}"] = Access.Operator,
        ["DELETE /api/v1/groups/{id}/secrets/{name}"] = Access.Operator,
        ["POST /api/v1/groups/{id}/secrets/import"] = Access.Operator,
        ["POST /api/v1/groups/{id}/secrets/{name}/reveal"] = Access.Admin,
        ["GET /api/v1/devices/{id}/config"] = Access.Viewer,
        ["PUT /api/v1/devices/{id}/config"] = Access.Operator,
        ["GET /api/v1/devices/{id}/secrets"] = Access.Viewer,
        ["PUT /api/v1/devices/{id}/secrets/{name}"] = Access.Operator,
        ["DELETE /api/v1/devices/{id}/secrets/{name}"] = Access.Operator,
        ["POST /api/v1/devices/{id}/secrets/import"] = Access.Operator,
        ["POST /api/v1/devices/{id}/secrets/{name}/reveal"] = Access.Admin,
        ["GET /api/v1/devices/{id}/config/effective"] = Access.Viewer,
        ["GET /api/v1/config/rollouts"] = Access.Viewer,
        ["GET /api/v1/config/rollouts/{id}"] = Access.Viewer,
        ["POST /api/v1/config/rollouts/{id}/{action}"] = Access.Operator,
        ["GET /api/v1/marketplace/apps"] = Access.Viewer,
        ["POST /api/v1/marketplace/apps"] = Access.Admin,
        ["GET /api/v1/marketplace/apps/{id}"] = Access.Viewer,
        ["PUT /api/v1/marketplace/apps/{id}"] = Access.Admin,
        ["DELETE /api/v1/marketplace/apps/{id}"] = Access.Admin,
        ["POST /api/v1/marketplace/apps/{id}/certify"] = Access.Admin,
        ["GET /api/v1/marketplace/apps/{id}/icon"] = Access.Viewer,
        ["PUT /api/v1/marketplace/apps/{id}/icon"] = Access.Admin,
        ["DELETE /api/v1/marketplace/apps/{id}/icon"] = Access.Admin,
        ["GET /api/v1/deployments"] = Access.Viewer,
        ["POST /api/v1/deployments"] = Access.Operator,
        ["GET /api/v1/deployments/{id}"] = Access.Viewer,
        ["DELETE /api/v1/deployments/{id}"] = Access.Operator,
        ["POST /api/v1/deployments/{id}/{action}"] = Access.Operator,
        ["POST /api/v1/deployments/{id}/approve"] = Access.Admin,
        ["POST /api/v1/deployments/{id}/reject"] = Access.Admin,
        ["GET /api/v1/groups/{id}/maintenance-windows"] = Access.Viewer,
        ["PUT /api/v1/groups/{id}/maintenance-windows"] = Access.Operator,
        ["PATCH /api/v1/deployments/{id}"] = Access.Operator,
        ["POST /api/v1/deployments/{id}/preview"] = Access.Operator,
        ["POST /api/v1/deployments/check"] = Access.Operator,
        ["GET /api/v1/agent-releases"] = Access.Viewer,
        ["POST /api/v1/agent-releases"] = Access.Admin,
        ["GET /api/v1/agent-releases/{version}"] = Access.Viewer,
        ["DELETE /api/v1/agent-releases/{version}"] = Access.Admin,
        ["GET /api/v1/dataflows"] = Access.Viewer,
        ["POST /api/v1/dataflows"] = Access.Operator,
        ["GET /api/v1/dataflows/{id}"] = Access.Viewer,
        ["DELETE /api/v1/dataflows/{id}"] = Access.Operator,
        ["POST /api/v1/dataflows/{id}/versions"] = Access.Operator,
        ["GET /api/v1/dataflows/{id}/versions/{version}"] = Access.Viewer,
        ["GET /api/v1/models"] = Access.Viewer,
        ["POST /api/v1/models"] = Access.Operator,
        ["GET /api/v1/models/{id}"] = Access.Viewer,
        ["POST /api/v1/models/{id}/versions"] = Access.Operator,
        ["GET /api/v1/models/{id}/versions/{version}"] = Access.Viewer,
        ["PUT /api/v1/models/{id}/versions/{version}"] = Access.Operator,
        ["DELETE /api/v1/models/{id}/versions/{version}"] = Access.Operator,
        ["DELETE /api/v1/models/{id}"] = Access.Operator,
        ["GET /api/v1/models/{id}/versions/{version}/file"] = Access.Operator,
        ["GET /api/v1/models/{id}/versions/{version}/baseline"] = Access.Viewer,
        ["POST /api/v1/models/{id}/versions/{version}/baseline/capture"] = Access.Operator,
        ["PUT /api/v1/models/{id}/versions/{version}/baseline"] = Access.Operator,
        ["DELETE /api/v1/models/{id}/versions/{version}/baseline"] = Access.Operator,
        ["GET /api/v1/models/{id}/versions/{version}/drift"] = Access.Viewer,
        ["GET /api/v1/models/{id}/versions/{version}/metrics"] = Access.Viewer,
        ["GET /api/v1/models/{id}/versions/{version}/profiles"] = Access.Viewer,
        ["POST /api/v1/models/{id}/versions/{version}/profiles"] = Access.Operator,
        ["GET /api/v1/tokens"] = Access.Viewer,
        ["POST /api/v1/tokens"] = Access.Viewer,
        ["DELETE /api/v1/tokens/{id}"] = Access.Viewer,
        ["GET /api/v1/audit"] = Access.Admin,
        ["GET /api/v1/cluster"] = Access.Admin,
        ["GET /api/v1/audit.csv"] = Access.Admin,
    };

    /// <summary>Pages anonymous visitors may open.</summary>
    private static readonly HashSet<string> PublicPages = new(StringComparer.OrdinalIgnoreCase)
    {
        "/Account/Login", "/Account/AccessDenied", "/Account/Logout", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/not-found", "/Error",
    };

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private readonly Dictionary<Caller, HttpClient> callers = [];
    private string deviceSecret = "";

    public async ValueTask InitializeAsync()
    {
        var admin = await ApiClient.AdminAsync(portal, ct);
        callers[Caller.Admin] = admin;
        callers[Caller.Anonymous] = portal.CreateClient();
        foreach (var (caller, role) in new[] { (Caller.Viewer, PortalRoles.Viewer), (Caller.Operator, PortalRoles.Operator) })
        {
            var email = $"{role.ToLowerInvariant()}@matrix.local";
            await ApiClient.CreateUserAsync(admin, email, "Matrix-Passw0rd!", role, ct);
            callers[caller] = await ApiClient.SignedInAsync(portal, email, "Matrix-Passw0rd!", ct);
        }

        using (var created = await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("to be revoked", 1), ct))
        {
            var token = (await created.Content.ReadFromJsonAsync<CreatedAccessToken>(ct))!;
            (await admin.DeleteAsync(ApiRoutes.Token(token.Token.Id), ct)).Dispose();
            callers[Caller.RevokedToken] = WithBearer(token.Secret);
        }

        deviceSecret = (await ApiClient.EnrollDeviceAsync(admin, "matrix-device", ct)).DeviceSecret;
        callers[Caller.Device] = WithBearer(deviceSecret);
    }

    [Fact]
    public void EveryApiEndpoint_HasARule()
    {
        var unclassified = ApiEndpoints().Select(e => e.Key).Where(k => !Rules.ContainsKey(k)).ToList();
        Assert.True(unclassified.Count == 0, "Give these endpoints a rule in AuthorizationMatrixTests.Rules: " + string.Join(", ", unclassified));
        var stale = Rules.Keys.Except(ApiEndpoints().Select(e => e.Key)).ToList();
        Assert.True(stale.Count == 0, "These rules name endpoints that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryApiEndpoint_AnswersEachCallerAsItsRuleSays()
    {
        var wrong = new List<string>();
        foreach (var (key, method, path) in ApiEndpoints())
        {
            var rule = Rules.GetValueOrDefault(key, Access.Admin);
            foreach (var (caller, client) in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = JsonContent.Create(new { });
                }

                using var response = await client.SendAsync(request, ct);
                var status = (int)response.StatusCode;
                var allowed = Allowed(rule, caller);
                var ok = status != 500 && (allowed
                    ? status != 403 && (status != 401 || rule == Access.Anyone)
                    : status == (caller is Caller.Anonymous or Caller.RevokedToken ? 401 : 403));
                if (!ok)
                {
                    wrong.Add($"{key} as {caller}: {status} (expected {(allowed ? "allowed" : "refused")})");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>
    /// The bad-input battery: every POST and PUT gets random bytes, truncated JSON, a JSON array, a string, text/plain,
    /// and path traversal in its ids, as an Admin (who passes every role check). None may answer 500, and the portal
    /// keeps serving others.
    /// </summary>
    [Fact]
    public async Task EveryWriteEndpoint_BadBodiesAndNames_NeverAnswer500()
    {
        var random = new Random(11);
        var garbage = new byte[2048];
        random.NextBytes(garbage);
        var bodies = new List<(string Name, Func<HttpContent> Make)>
        {
            ("random bytes as JSON", () => new ByteArrayContent(garbage) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }),
            ("truncated JSON", () => new StringContent("{\"name\": \"half", System.Text.Encoding.UTF8, "application/json")),
            ("a JSON array", () => new StringContent("[1,2,3]", System.Text.Encoding.UTF8, "application/json")),
            ("a JSON string", () => new StringContent("\"x\"", System.Text.Encoding.UTF8, "application/json")),
            ("deeply nested JSON", () => new StringContent(new string('[', 5000) + new string(']', 5000), System.Text.Encoding.UTF8, "application/json")),
            ("text/plain", () => new StringContent("name=x", System.Text.Encoding.UTF8, "text/plain")),
            ("wrong types", () => new StringContent("{\"name\":42,\"roles\":\"Admin\",\"labels\":[1],\"strategy\":7,\"deviceIds\":{}}", System.Text.Encoding.UTF8, "application/json")),
        };
        var admin = callers[Caller.Admin];
        var wrong = new List<string>();
        foreach (var (key, method, path) in ApiEndpoints().Where(e => e.Method is "POST" or "PUT"))
        {
            foreach (var (name, make) in bodies)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = make() };
                using var response = await admin.SendAsync(request, ct);
                if ((int)response.StatusCode >= 500)
                {
                    wrong.Add($"{key} with {name}: {(int)response.StatusCode}");
                }
            }

            var traversal = RouteParameter().Replace(Constraint().Replace(key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..], "}"), "..%2F..%2Fportal.db")
                .Replace("{version}", "1", StringComparison.Ordinal);
            using var traversing = new HttpRequestMessage(new HttpMethod(method), traversal) { Content = JsonContent.Create(new { name = "../../etc/passwd" }) };
            using var answer = await admin.SendAsync(traversing, ct);
            if ((int)answer.StatusCode >= 500)
            {
                wrong.Add($"{key} with traversal: {(int)answer.StatusCode}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        using var health = await callers[Caller.Anonymous].GetAsync(new Uri("/healthz", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var viewer = await callers[Caller.Viewer].GetAsync(ApiRoutes.Devices, ct);
        Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
        Assert.True(portal.OnPostgres || File.Exists(Path.Combine(portal.DataDirectory, "portal.db")));
    }

    [Fact]
    public async Task AgentHub_OnlyADeviceGetsOn_AndEveryHubMethodWithBadArgumentsLeavesItConnected()
    {
        var address = portal.Server.BaseAddress;
        foreach (var (caller, client) in callers.Where(c => c.Key != Caller.Device))
        {
            var token = client.DefaultRequestHeaders.Authorization?.Parameter;
            await using var hub = Hub(address, token);
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync(ct));
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{caller} got {refused.StatusCode} from the hub");
        }

        await using var device = Hub(address, deviceSecret);
        await device.StartAsync(ct);
        foreach (var method in typeof(IAgentHub).GetMethods())
        {
            // Nulls and defaults for every argument: the call may fail, the connection must not.
            var args = method.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
            try
            {
                await device.InvokeCoreAsync(method.Name, method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object), args, ct);
            }
            catch (Microsoft.AspNetCore.SignalR.HubException)
            {
            }

            Assert.Equal(HubConnectionState.Connected, device.State);
        }
    }

    [Fact]
    public async Task EveryPage_SendsAnonymousVisitorsToSignIn_UnlessItIsPublic()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => RouteParameter().Replace(r.Template, "x"))
            .Where(r => !PublicPages.Contains(r))
            .Distinct().ToList();
        Assert.True(routes.Count > 15, $"only {routes.Count} page routes found");
        using var anonymous = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var wrong = new List<string>();
        foreach (var route in routes)
        {
            using var response = await anonymous.GetAsync(new Uri(route, UriKind.Relative), ct);
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("/Account/Login", StringComparison.Ordinal) != true)
            {
                wrong.Add($"{route}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>
    /// Pages as each signed-in role (a real sign-in through the form, with its antiforgery token): a page whose
    /// [Authorize] roles leave the caller out renders the access-denied view, one that includes it renders itself;
    /// a bearer token (even a device's) never opens a page. Every non-public page must say who may see it.
    /// </summary>
    [Fact]
    public async Task EveryPage_AsEachRole_RendersOrRefusesAsItsAuthorizeAttributeSays()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (Type: t, Route: RouteParameter().Replace(r.Template, "x"))))
            .Where(p => !PublicPages.Contains(p.Route))
            .ToList();
        var undeclared = pages.Where(p => !p.Type.GetCustomAttributes<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>().Any()).Select(p => p.Route).ToList();
        Assert.True(undeclared.Count == 0, "These pages do not say who may see them ([Authorize]): " + string.Join(", ", undeclared));

        var wrong = new List<string>();
        foreach (var (role, email) in new[] { (PortalRoles.Viewer, "viewer@matrix.local"), (PortalRoles.Operator, "operator@matrix.local"), (PortalRoles.Admin, PortalFactory.AdminEmail) })
        {
            using var browser = await SignInWithCookieAsync(email, role == PortalRoles.Admin ? PortalFactory.AdminPassword : "Matrix-Passw0rd!");
            foreach (var (type, route) in pages.Where(p => !p.Route.StartsWith("/Account", StringComparison.OrdinalIgnoreCase)))
            {
                // Every [Authorize] on a page must be satisfied.
                var allowed = type.GetCustomAttributes<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>()
                    .All(a => string.IsNullOrEmpty(a.Roles) || a.Roles.Split(',').Select(r => r.Trim()).Contains(role));
                using var response = await browser.GetAsync(new Uri(route, UriKind.Relative), ct);
                var html = await response.Content.ReadAsStringAsync(ct);
                var denied = html.Contains("id=\"access-denied\"", StringComparison.Ordinal);
                if ((int)response.StatusCode >= 500 || (response.StatusCode == HttpStatusCode.OK && denied == allowed))
                {
                    wrong.Add($"{route} as {role}: {(int)response.StatusCode}, {(denied ? "access denied" : "rendered")} (expected {(allowed ? "rendered" : "access denied")})");
                }
            }
        }

        foreach (var caller in new[] { Caller.Device, Caller.RevokedToken, Caller.Admin })
        {
            using var bearerOnly = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            bearerOnly.DefaultRequestHeaders.Authorization = callers[caller].DefaultRequestHeaders.Authorization;
            using var response = await bearerOnly.GetAsync(new Uri("/devices", UriKind.Relative), ct);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                wrong.Add($"/devices with only a bearer token ({caller}): {(int)response.StatusCode}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private async Task<HttpClient> SignInWithCookieAsync(string email, string password)
    {
        var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        var form = await client.GetStringAsync(new Uri("/Account/Login", UriKind.Relative), ct);
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var response = await client.PostAsync(new Uri("/Account/Login", UriKind.Relative), content, ct);
        Assert.DoesNotContain("id=\"password\"", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static bool Allowed(Access rule, Caller caller) => rule switch
    {
        Access.Anyone => true,
        Access.AnySignedIn => caller is not (Caller.Anonymous or Caller.RevokedToken),
        Access.PasswordSignIn => caller is Caller.Viewer or Caller.Operator or Caller.Admin,
        Access.Device => caller == Caller.Device,
        Access.Viewer => caller is Caller.Viewer or Caller.Operator or Caller.Admin,
        Access.Operator => caller is Caller.Operator or Caller.Admin,
        _ => caller == Caller.Admin,
    };

    private IEnumerable<(string Key, string Method, string Path)> ApiEndpoints() =>
        portal.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiRoutes.Prefix, StringComparison.OrdinalIgnoreCase) == true
                && !Security.AuthApiEndpoints.DisabledAuthRoutes.Any(r => e.RoutePattern.RawText!.StartsWith(ApiRoutes.Auth + r, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m =>
            {
                var pattern = Constraint().Replace(e.RoutePattern.RawText!, "}").TrimEnd('/');
                var path = pattern.Replace("{sha256}", new string('0', 64), StringComparison.Ordinal).Replace("{version}", "1", StringComparison.Ordinal)
                    .Replace("{action}", "pause", StringComparison.Ordinal);
                return ($"{m} {pattern}", m, RouteParameter().Replace(path, "no-such-thing"));
            }))
            .Distinct();

    private HttpClient WithBearer(string secret)
    {
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private HubConnection Hub(Uri address, string? token) => new HubConnectionBuilder()
        .WithUrl(new Uri(address, ApiRoutes.AgentHub), o =>
        {
            o.HttpMessageHandlerFactory = _ => portal.Server.CreateHandler();
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            o.AccessTokenProvider = () => Task.FromResult(token);
        })
        .AddMessagePackProtocol()
        .Build();

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in callers.Values)
        {
            client.Dispose();
        }

        await portal.DisposeAsync();
    }
}

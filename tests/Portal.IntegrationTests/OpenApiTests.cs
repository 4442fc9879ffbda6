using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>The REST API's description: every /api/v1 endpoint the portal maps is in /openapi/v1.json, with its auth.</summary>
public sealed partial class OpenApiTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync() => admin = await ApiClient.AdminAsync(portal, ct);

    [Fact]
    public async Task Document_DescribesEveryApiEndpoint_FromTheEndpointDataSource()
    {
        using var response = await admin.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var paths = document.RootElement.GetProperty("paths");
        var described = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        var mapped = portal.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiRoutes.Prefix, StringComparison.OrdinalIgnoreCase) == true
                && !Security.AuthApiEndpoints.DisabledAuthRoutes.Any(r => e.RoutePattern.RawText!.StartsWith(ApiRoutes.Auth + r, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {Constraint().Replace(e.RoutePattern.RawText!, "}").TrimEnd('/')}"))
            .ToList();

        Assert.True(mapped.Count > 40, $"only {mapped.Count} endpoints found");
        Assert.Equal([], mapped.Where(m => !described.Contains(m)).ToList());
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.Contains("/register", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Document_SaysWhichOperationsNeedABearerToken_AndDescribesShapes()
    {
        using var document = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct));
        var root = document.RootElement;
        Assert.Equal("http", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("type").GetString());
        var createDeployment = root.GetProperty("paths").GetProperty(ApiRoutes.Deployments).GetProperty("post");
        Assert.True(createDeployment.TryGetProperty("security", out _));
        Assert.True(createDeployment.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(createDeployment.GetProperty("responses").TryGetProperty("201", out _));
        var upload = root.GetProperty("paths").GetProperty(ApiRoutes.Models + "/{id}/versions").GetProperty("post");
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        var login = root.GetProperty("paths").GetProperty(ApiRoutes.Login).GetProperty("post");
        Assert.False(login.TryGetProperty("security", out _));
    }

    [Fact]
    public async Task DocumentAndDocs_AreForSignedInPeopleOnly()
    {
        using var anonymous = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var document = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct);
        Assert.NotEqual(HttpStatusCode.OK, document.StatusCode);
        using var docs = await anonymous.GetAsync(new Uri("/api/docs", UriKind.Relative), ct);
        Assert.NotEqual(HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public async Task Docs_LinkBackToThePortalAndListModelsOnce()
    {
        // The docs page is for a browser: it takes the sign-in cookie, not a bearer token.
        using var browser = portal.CreateClient();
        using (var login = await browser.PostAsJsonAsync(ApiRoutes.Login + "?useCookies=true", new { email = PortalFactory.AdminEmail, password = PortalFactory.AdminPassword }, ct))
        {
            login.EnsureSuccessStatusCode();
        }

        var page = await browser.GetStringAsync(new Uri("/api/docs", UriKind.Relative), ct);
        using var document = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct));

        Assert.Contains("""<a href="/" id="back-to-portal">""", page, StringComparison.Ordinal);
        Assert.Contains("\"hideModels\":true", page.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith("[Back to the portal](/)", document.RootElement.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex Constraint();

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

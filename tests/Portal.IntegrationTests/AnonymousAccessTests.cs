using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Testing;

namespace Portal.IntegrationTests;

public sealed class AnonymousAccessTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    [InlineData("/models")]
    [InlineData("/Account/Manage")]
    public async Task Page_Anonymous_RedirectsToSignIn(string path)
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/users")]
    [InlineData("/api/v1/users/some-id")]
    [InlineData("/api/v1/anything-else")]
    public async Task Api_Anonymous_Returns401ProblemDetails(string path)
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignInPage_Anonymous_IsServed()
    {
        using var client = fixture.Factory.CreateClient();

        var html = await client.GetStringAsync("/Account/Login", ct);

        Assert.Contains("Sign in", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Input.Email\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthEndpoints_Anonymous_ReportHealthy(string path)
    {
        using var client = fixture.Factory.CreateClient();

        var body = await client.GetStringAsync(path, ct);

        Assert.Equal("Healthy", body);
    }

    [Fact]
    public async Task Branding_Anonymous_IsServed()
    {
        using var client = fixture.Factory.CreateClient();

        using var response = await client.GetAsync("/assets/branding/logo.svg", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }
}

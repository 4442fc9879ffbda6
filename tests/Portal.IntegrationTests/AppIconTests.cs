using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// App icons: an admin uploads PNG, JPEG, WebP or GIF (judged by the bytes, not the name or Content-Type) up to 256 KiB;
/// everyone signed in gets it back with its own type and nosniff; a refused upload leaves the old icon as it was.
/// </summary>
public sealed class AppIconTests : IAsyncLifetime
{
    // A real 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    private static readonly byte[] Gif = "GIF89a\u0001\0\u0001\0\0\0\0;"u8.ToArray();

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync()
    {
        admin = await ApiClient.AdminAsync(portal, ct);
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("iconic"), ct);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task Upload_Png_IsServedBackWithItsTypeAndAVersionedUrl()
    {
        var app = await UploadAsync("iconic", Png, "application/octet-stream", HttpStatusCode.OK);

        Assert.StartsWith(ApiRoutes.MarketplaceAppIcon("iconic") + "?v=", app!.IconUrl, StringComparison.Ordinal);
        using var served = await admin.GetAsync(app.IconUrl, ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync(ct));

        var replaced = await UploadAsync("iconic", Gif, "image/png", HttpStatusCode.OK);
        Assert.NotEqual(app.IconUrl, replaced!.IconUrl);
        using var gif = await admin.GetAsync(replaced.IconUrl, ct);
        Assert.Equal("image/gif", gif.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Viewer_SeesTheIcon_ButMayNotChangeIt()
    {
        await UploadAsync("iconic", Png, "image/png", HttpStatusCode.OK);
        await ApiClient.CreateUserAsync(admin, "viewer@icons.test", "Viewer-Passw0rd!", "Viewer", ct);
        using var viewer = await ApiClient.SignedInAsync(portal, "viewer@icons.test", "Viewer-Passw0rd!", ct);

        using var seen = await viewer.GetAsync(ApiRoutes.MarketplaceAppIcon("iconic"), ct);
        using var put = await viewer.PutAsync(ApiRoutes.MarketplaceAppIcon("iconic"), new ByteArrayContent(Gif), ct);
        using var delete = await viewer.DeleteAsync(ApiRoutes.MarketplaceAppIcon("iconic"), ct);

        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(Png, await (await admin.GetAsync(ApiRoutes.MarketplaceAppIcon("iconic"), ct)).Content.ReadAsByteArrayAsync(ct));
    }

    [Theory]
    [InlineData("svg", HttpStatusCode.BadRequest, "not a PNG, JPEG, WebP or GIF image")]
    [InlineData("html-named-png", HttpStatusCode.BadRequest, "not a PNG, JPEG, WebP or GIF image")]
    [InlineData("truncated", HttpStatusCode.BadRequest, "not a PNG, JPEG, WebP or GIF image")]
    [InlineData("empty", HttpStatusCode.BadRequest, "not a PNG, JPEG, WebP or GIF image")]
    [InlineData("huge", HttpStatusCode.RequestEntityTooLarge, "larger than 256 KiB")]
    public async Task RefusedUpload_SaysWhy_AndKeepsTheOldIcon(string kind, HttpStatusCode status, string detail)
    {
        var before = await UploadAsync("iconic", Png, "image/png", HttpStatusCode.OK);
        var body = kind switch
        {
            "svg" => "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray(),
            "html-named-png" => "<html><script>alert(1)</script></html>"u8.ToArray(),
            "truncated" => Png[..4],
            "empty" => [],
            _ => [.. Png, .. new byte[300 * 1024]],
        };

        using var response = await admin.PutAsync(ApiRoutes.MarketplaceAppIcon("iconic"), Content(body, "image/png"), ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        var after = await admin.GetFromJsonAsync<AppDto>(ApiRoutes.MarketplaceApp("iconic"), ct);
        Assert.Equal(before!.IconUrl, after!.IconUrl);
        Assert.Equal(Png, await (await admin.GetAsync(after.IconUrl, ct)).Content.ReadAsByteArrayAsync(ct));
    }

    [Fact]
    public async Task Delete_RemovesTheIcon_AndTheAppShowsTheGenericOne()
    {
        await UploadAsync("iconic", Png, "image/png", HttpStatusCode.OK);

        using var deleted = await admin.DeleteAsync(ApiRoutes.MarketplaceAppIcon("iconic"), ct);
        using var served = await admin.GetAsync(ApiRoutes.MarketplaceAppIcon("iconic"), ct);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("", (await deleted.Content.ReadFromJsonAsync<AppDto>(ct))!.IconUrl);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.Equal("application/problem+json", served.Content.Headers.ContentType?.MediaType);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(portal.DataDirectory, "icons")));
    }

    [Fact]
    public async Task UnknownApp_Is404_AndNothingIsWritten()
    {
        await UploadAsync("no-such-app", Png, "image/png", HttpStatusCode.NotFound);

        Assert.False(Directory.Exists(Path.Combine(portal.DataDirectory, "icons")) && Directory.EnumerateFiles(Path.Combine(portal.DataDirectory, "icons")).Any());
    }

    [Fact]
    public async Task ConcurrentUploads_LeaveOneWholeIcon_AndNoTemporaryFiles()
    {
        var uploads = Enumerable.Range(0, 8).Select(i => admin.PutAsync(ApiRoutes.MarketplaceAppIcon("iconic"), Content(i % 2 == 0 ? Png : Gif, i % 3 == 0 ? "text/plain" : "image/png"), ct));
        var responses = await Task.WhenAll(uploads);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var app = await admin.GetFromJsonAsync<AppDto>(ApiRoutes.MarketplaceApp("iconic"), ct);
        var served = await (await admin.GetAsync(app!.IconUrl, ct)).Content.ReadAsByteArrayAsync(ct);
        Assert.True(served.SequenceEqual(Png) || served.SequenceEqual(Gif));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(portal.DataDirectory, "icons")));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private async Task<AppDto?> UploadAsync(string id, byte[] bytes, string contentType, HttpStatusCode expected)
    {
        using var response = await admin.PutAsync(ApiRoutes.MarketplaceAppIcon(id), Content(bytes, contentType), ct);
        Assert.Equal(expected, response.StatusCode);
        return expected == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<AppDto>(ct) : null;
    }

    private static ByteArrayContent Content(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}

using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Shared.Marketplace;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// <c>POST /api/v1/marketplace/apps</c> as multipart/form-data over a real portal: the app's JSON in 'app', a compose
/// file or zip in 'compose'. A bad compose file is a 400 whose detail names the line, and nothing is stored.
/// </summary>
public sealed class StackUploadTests : IAsyncLifetime
{
    private const string Compose = """
        services:
          dep:
            image: local/busybox:1
            command: ["sleep", "3600"]
            network_mode: host
            env_file: dep.env
            healthcheck:
              test: ["CMD", "true"]
          web:
            image: local/busybox:1
            command: ["httpd", "-f", "-p", "127.0.0.1:${PORT}"]
            network_mode: host
            depends_on:
              dep:
                condition: service_healthy
        """;

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    public async ValueTask InitializeAsync() => admin = await ApiClient.AdminAsync(portal, ct);

    [Fact]
    public async Task Post_MultipartWithComposeFile_StoresTheStackAsTheFirstVersion()
    {
        using var response = await PostAsync(App("yaml-stack"), ("compose.yaml", Encoding.UTF8.GetBytes(Compose.Replace("    env_file: dep.env\n", "", StringComparison.Ordinal))));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var app = (await admin.GetFromJsonAsync<AppDto>(ApiRoutes.MarketplaceApp("yaml-stack"), ct))!;
        Assert.Contains("condition: service_healthy", Assert.Single(app.Versions).Compose, StringComparison.Ordinal);
        Assert.False(app.Certified);
    }

    [Fact]
    public async Task Post_MultipartWithZip_StoresComposeAndConfigFiles()
    {
        using var response = await PostAsync(App("zip-stack"), ("stack.zip", Zip(("compose.yaml", Compose), ("dep.env", "MODE=edge\n"))));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var version = Assert.Single((await admin.GetFromJsonAsync<AppDto>(ApiRoutes.MarketplaceApp("zip-stack"), ct))!.Versions);
        Assert.Equal(Compose, version.Compose);
        Assert.Equal(new Dictionary<string, string> { ["dep.env"] = "MODE=edge\n" }, version.ComposeFiles);
    }

    [Theory]
    [InlineData("services:\n  a:\n    image: [unclosed\n", "Line 4: The YAML cannot be read")]
    [InlineData("services:\n  a:\n    image: x\n    colour: blue\n", "Line 4")]
    [InlineData("services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n", "Line ")]
    [InlineData("services:\n  a:\n    image: x\n    privileged: true\n", "Line 4")]
    [InlineData("services:\n  a:\n    image: x\n    build: .\n", "Line 4")]
    public async Task Post_BadComposeFile_Is400NamingTheLineAndStoresNothing(string compose, string line)
    {
        var before = await AppIdsAsync();

        using var response = await PostAsync(App("bad-stack"), ("compose.yaml", Encoding.UTF8.GetBytes(compose)));

        var detail = await ProblemDetailAsync(response);
        Assert.True(detail.Contains(line, StringComparison.Ordinal), detail);
        Assert.Equal(before, await AppIdsAsync());
    }

    [Fact]
    public async Task Post_ZipSlipEntry_Is400AndStoresNothing()
    {
        var before = await AppIdsAsync();

        using var response = await PostAsync(App("slip-stack"), ("stack.zip", Zip(("compose.yaml", Compose), ("../../dep.env", "A=1"))));

        Assert.Equal("The zip entry '../../dep.env' points outside the archive; such paths are refused.", await ProblemDetailAsync(response));
        Assert.Equal(before, await AppIdsAsync());
    }

    [Fact]
    public async Task Post_MultipartWithoutAppPart_SaysWhichPartsToSend()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(Compose)), "compose", "compose.yaml" } };
        using var response = await admin.PostAsync(ApiRoutes.MarketplaceApps, form, ct);

        Assert.Contains("curl -F app=@app.json -F compose=@compose.yaml", await ProblemDetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutABodyOrContentType_IsAClientErrorNotAnAmbiguousRoute()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiRoutes.MarketplaceApps);
        using var response = await admin.SendAsync(request, ct);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    private static AppDefinition App(string id) => new(id, "Uploaded stack", "Edge Portal tests", "Testing", "Two services.", null,
        [new AppVersion("1", "", Parameters: [new AppParameter("PORT", "int", "18080")])]);

    private async Task<HttpResponseMessage> PostAsync(AppDefinition app, (string Name, byte[] Content) compose)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(JsonSerializer.Serialize(app, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"), "app" },
            { new ByteArrayContent(compose.Content), "compose", compose.Name },
        };
        return await admin.PostAsync(ApiRoutes.MarketplaceApps, form, ct);
    }

    private async Task<string> ProblemDetailAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }

    private async Task<List<string>> AppIdsAsync() =>
        [.. (await admin.GetFromJsonAsync<List<AppDto>>(ApiRoutes.MarketplaceApps + "?includeRetired=true", ct))!.Select(a => a.Id).Order(StringComparer.Ordinal)];

    private static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

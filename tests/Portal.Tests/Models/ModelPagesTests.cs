using Bunit;
using Bunit.TestDoubles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Features.Models;
using Portal.Shared.Models;
using Portal.Shared.Security;
using Portal.Testing;

namespace Portal.Tests.Models;

public sealed class ModelPagesTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests", "model-pages-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;
    private readonly BunitAuthorizationContext auth;

    public ModelPagesTests()
    {
        auth = this.AddModelPageServices(dataDirectory);
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task ModelsPage_RegisteredModels_ShowLatestVersionAndStageAndFilterBySearch()
    {
        await SeedSolarAsync("pv-plant", ["solar", "forecast"]);
        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModelRequest("empty-one", "Nothing uploaded yet"), new Portal.Features.Audit.AuditActor("User", null, "operator", null), ct)).Succeeded);

        var page = Render<ModelsPage>();

        page.WaitForAssertion(() => Assert.Equal(["empty-one", "pv-plant"], page.FindAll(".model-name").Select(n => n.TextContent.Trim())), Patience);
        var solar = page.FindAll("tr.model-row")[1];
        Assert.Equal("/models/pv-plant", solar.QuerySelector(".model-name")!.GetAttribute("href"));
        Assert.Equal(["solar", "forecast"], solar.QuerySelectorAll(".model-tag").Select(t => t.TextContent.Trim()));
        Assert.StartsWith("v1", solar.QuerySelector(".model-latest")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Draft", solar.QuerySelector(".model-stage")!.TextContent.Trim());
        Assert.Contains("No version uploaded", page.FindAll("tr.model-row")[0].TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("#new-model"));

        page.Find("#model-search input, input#model-search").Input("forecast");
        page.WaitForAssertion(() => Assert.Equal(["pv-plant"], page.FindAll(".model-name").Select(n => n.TextContent.Trim())), Patience);
        page.Find("#model-search input, input#model-search").Input("nothing-like-this");
        page.WaitForAssertion(() => Assert.Contains("No model matches this search.", page.Find("#no-models").TextContent, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task ModelDetails_Viewer_ReadsEverythingButCannotUploadOrDeploy()
    {
        await SeedSolarAsync("pv-plant", []);
        auth.SetRoles(PortalRoles.Viewer);

        var page = Render<ModelDetailsPage>(p => p.Add(x => x.Id, "pv-plant").Add(x => x.Version, 1));

        page.WaitForAssertion(() => Assert.Equal("Version 1", page.Find("#version-title").TextContent.Trim()), Patience);
        Assert.Equal("pv-plant", page.Find("#model-title").TextContent.Trim());
        Assert.Equal("features", page.Find("#inputs-table .tensor-name").TextContent.Trim());
        Assert.Empty(page.FindAll("#upload-panel"));
        Assert.Empty(page.FindAll("#upload-version"));
    }

    [Fact]
    public void ModelDetails_UnknownModel_SaysSo()
    {
        var page = Render<ModelDetailsPage>(p => p.Add(x => x.Id, "no-such-model"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#model-not-found")), Patience);
    }

    private async Task SeedSolarAsync(string name, IReadOnlyList<string> tags)
    {
        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModelRequest(name, "Irradiance from weather", tags), new Portal.Features.Audit.AuditActor("User", null, "operator", null), ct)).Succeeded);
        await using var file = File.OpenRead(SampleModels.Solar);
        Assert.True((await registry.UploadAsync(name, file, "solar-irradiance.onnx", null, new Portal.Features.Audit.AuditActor("User", null, "operator", null), ct: ct)).Succeeded);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}

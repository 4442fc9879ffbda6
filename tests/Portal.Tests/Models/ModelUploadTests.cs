using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Features.Models;
using Portal.Shared.Models;
using Portal.Testing;

namespace Portal.Tests.Models;

public sealed class ModelUploadTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests", "models-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;

    public ModelUploadTests()
    {
        this.AddModelPageServices(dataDirectory);
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task Upload_SampleModel_CreatesVersionOneWithItsSignatureAndShowsIt()
    {
        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModelRequest("pv-plant"), new Portal.Features.Audit.AuditActor("User", null, "operator@portal.local", null), ct)).Succeeded);
        var bytes = await File.ReadAllBytesAsync(SampleModels.Solar, ct);
        var page = Render<ModelDetailsPage>(p => p.Add(x => x.Id, "pv-plant"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-versions")), Patience);

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, "solar-irradiance.onnx"));
        page.WaitForAssertion(() => Assert.Contains("solar-irradiance.onnx", page.Find("#chosen-file").TextContent, StringComparison.Ordinal), Patience);
        page.Find("#upload-notes textarea, textarea#upload-notes").Change("First fit.");
        page.Find("#upload-version").Click();

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/models/pv-plant/versions/1", navigation.Uri, StringComparison.Ordinal), Patience);
        Assert.Equal("Version 1", page.Find("#version-title").TextContent.Trim());
        var version = await registry.GetVersionAsync("pv-plant", 1, ct);
        Assert.NotNull(version);
        Assert.Equal("solar-irradiance.onnx", version.FileName);
        Assert.Equal("First fit.", version.ReleaseNotes);
        Assert.Equal(bytes.LongLength, version.SizeBytes);
        var input = Assert.Single(version.Signature.Inputs);
        Assert.Equal(("features", "FP32", "batch × 4"), (input.Name, input.Datatype, input.ShapeText()));
        var output = Assert.Single(version.Signature.Outputs);
        Assert.Equal(("irradiance", "FP32", "batch × 1"), (output.Name, output.Datatype, output.ShapeText()));
        // The page shows the new version: a row in the table and its signature.
        Assert.Equal("v1", Assert.Single(page.FindAll("tr.version-row")).QuerySelector(".version-number")!.TextContent.Trim());
        Assert.Equal("features", page.Find("#inputs-table .tensor-name").TextContent.Trim());
        Assert.Equal("batch × 4", page.Find("#inputs-table .tensor-shape").TextContent.Trim());
        Assert.Equal("irradiance", page.Find("#outputs-table .tensor-name").TextContent.Trim());
        Assert.Empty(page.FindAll("#upload-error"));
    }

    [Fact]
    public async Task Upload_RandomBytes_ShowsTheRegistrysReasonAndCreatesNothing()
    {
        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModelRequest("noise"), new Portal.Features.Audit.AuditActor("User", null, "operator@portal.local", null), ct)).Succeeded);
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        var page = Render<ModelDetailsPage>(p => p.Add(x => x.Id, "noise"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-versions")), Patience);

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, "noise.onnx"));
        page.WaitForAssertion(() => Assert.Contains("noise.onnx", page.Find("#chosen-file").TextContent, StringComparison.Ordinal), Patience);
        page.Find("#upload-version").Click();

        page.WaitForAssertion(() => Assert.Contains("'noise.onnx' is not a", page.Find("#upload-error").TextContent, StringComparison.Ordinal), Patience);
        var model = await registry.GetAsync("noise", ct);
        Assert.Equal(0, model!.VersionCount);
        Assert.NotNull(page.Find("#no-versions"));
        // Nothing of the rejected file is left in the store.
        var artifacts = Path.Combine(dataDirectory, "artifacts");
        Assert.Empty(Directory.Exists(artifacts) ? Directory.GetFiles(artifacts, "*", SearchOption.AllDirectories) : []);
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

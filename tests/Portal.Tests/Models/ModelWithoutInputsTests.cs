using System.Text.Json;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Audit;
using Portal.Features.Models;
using Portal.Shared.Models;
using Portal.Testing;

namespace Portal.Tests.Models;

/// <summary>
/// Uploads of valid models the registry refused or "Try it" could not answer before: a graph with no inputs (it only
/// produces a constant), and outputs ONNX Runtime allocates itself (INT8, a dimension named after no input).
/// </summary>
public sealed class ModelWithoutInputsTests : PortalBunitContext
{
    private static readonly AuditActor Operator = new("User", null, "operator@portal.local", null);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests", "models-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;

    public ModelWithoutInputsTests() => this.AddModelPageServices(dataDirectory);

    private async Task<ModelVersionDto> UploadAsync(string name, string file)
    {
        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModelRequest(name), Operator, ct)).Succeeded);
        await using var content = File.OpenRead(SampleModels.TestModel(file));
        var upload = await registry.UploadAsync(name, content, file, null, Operator, ct: ct);
        Assert.True(upload.Succeeded, upload.Error);
        return upload.Value!;
    }

    [Fact]
    public async Task Upload_AModelWithNoInputs_IsAcceptedAndTryItAnswersItsConstant()
    {
        var version = await UploadAsync("constant-source", "constant.onnx");

        Assert.Empty(version.Signature.Inputs);
        Assert.Equal("answer", Assert.Single(version.Signature.Outputs).Name);
        var tried = await Services.GetRequiredService<ModelPlayground>().RunAsync("constant-source", 1, ModelPlayground.ExampleRequest(version.Signature), ct);
        Assert.True(tried.Succeeded, tried.Error);
        var answer = JsonDocument.Parse(tried.Value!.Json).RootElement.GetProperty("outputs")[0];
        Assert.Equal([1.5, -2, 42], answer.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task TryIt_OutputsOnnxRuntimeAllocates_AreCopiedOutAndShown()
    {
        await UploadAsync("unknown-dims", "unknown-dims.onnx");

        var tried = await Services.GetRequiredService<ModelPlayground>().RunAsync(
            "unknown-dims", 1, """{"inputs":[{"name":"x","datatype":"FP32","shape":[3],"data":[1,-2,3.5]}]}""", ct);

        Assert.True(tried.Succeeded, tried.Error);
        var outputs = JsonDocument.Parse(tried.Value!.Json).RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal("INT8", outputs["renamed"].GetProperty("datatype").GetString());
        Assert.Equal([1, -2, 3], outputs["renamed"].GetProperty("data").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(6, outputs["doubled"].GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task TryIt_AModelThatExpandsAConstant_IsRefusedWithAMessageNotShownInFull()
    {
        // 2^23 floats (32 MB): over the fold limit of "Try it" sessions, and over the values a page can show.
        var bomb = await HostileModels.ExpandBombAsync(dataDirectory + "-hostile", 1L << 23, ct);
        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModelRequest("bomb"), Operator, ct)).Succeeded);
        await using (var content = File.OpenRead(bomb))
        {
            Assert.True((await registry.UploadAsync("bomb", content, "bomb.onnx", null, Operator, ct: ct)).Succeeded);
        }

        var tried = await Services.GetRequiredService<ModelPlayground>().RunAsync(
            "bomb", 1, """{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[2]}]}""", ct);

        Assert.False(tried.Succeeded);
        Assert.Contains("8,388,608 values, more than can be shown here", tried.Error, StringComparison.Ordinal);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        if (Directory.Exists(dataDirectory + "-hostile"))
        {
            Directory.Delete(dataDirectory + "-hostile", recursive: true);
        }
    }
}

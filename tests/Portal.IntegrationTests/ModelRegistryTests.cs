using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>The model registry over its REST API: uploads validated in ONNX Runtime, rejects that leave nothing behind.</summary>
public sealed class ModelRegistryTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly PortalFactory portal = new();
    private HttpClient admin = default!;

    private string Objects => Path.Combine(portal.DataDirectory, "artifacts", "sha256");

    private string Incoming => Path.Combine(portal.DataDirectory, "artifacts", "incoming");

    public async ValueTask InitializeAsync()
    {
        portal.Settings["Portal:Models:MaxUploadMb"] = "1";
        admin = await ApiClient.AdminAsync(portal, ct);
    }

    [Fact]
    public async Task Upload_ASampleModel_RecordsItsSignatureHashAndSize_AndKeepsNoOptimizedCopyLargerThanIt()
    {
        var model = await CreateModelAsync("vibration-anomaly", "Scores vibration windows", ["vibration"]);
        var version = await UploadAsync(model.Id, SampleModels.Vibration, notes: "first fit");

        Assert.Equal(1, version.Version);
        Assert.Equal(ModelStage.Draft, version.Stage);
        Assert.Equal("first fit", version.ReleaseNotes);
        Assert.Equal("vibration-anomaly.onnx", version.FileName);
        Assert.Equal(new FileInfo(SampleModels.Vibration).Length, version.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(SampleModels.Vibration))), version.Sha256);
        var input = Assert.Single(version.Signature.Inputs);
        Assert.Equal(("window", "FP32", "batch"), (input.Name, input.Datatype, input.DimNames[0]));
        Assert.Equal([-1L, 256L], input.Shape);
        Assert.Equal(["score", "features"], version.Signature.Outputs.Select(o => o.Name));
        Assert.Equal([-1L, 4L], version.Signature.Outputs[1].Shape);
        Assert.Equal(13, version.Signature.Opsets["ai.onnx"]);
        Assert.Equal("edgeportal-samples", version.Signature.Producer);
        Assert.Equal("1000", version.Signature.Metadata["sample_rate_hz"]);
        // Folding writes this sample's constants out larger than the original: devices get the original, and only it is stored.
        Assert.Equal((null, null), (version.OptimizedSha256, version.OptimizedSizeBytes));
        Assert.Equal(version.Sha256, Path.GetFileName(Assert.Single(Directory.GetFiles(Objects))));

        var read = await admin.GetFromJsonAsync<ModelDto>(ApiRoutes.Model("vibration-anomaly"), ct);
        Assert.Equal(1, read!.VersionCount);
        Assert.Equal(version.Sha256, read.Latest!.Sha256);
        var byNumber = await admin.GetFromJsonAsync<ModelVersionDto>(ApiRoutes.ModelVersion(model.Id, 1), ct);
        Assert.Equal(version.Signature.Inputs[0].Shape, byNumber!.Signature.Inputs[0].Shape);
        using var file = await admin.GetAsync(ApiRoutes.ModelVersionFile(model.Id, 1), ct);
        Assert.Equal(File.ReadAllBytes(SampleModels.Vibration), await file.Content.ReadAsByteArrayAsync(ct));
    }

    [Fact]
    public async Task Upload_TheSameFileTwice_MakesTwoVersionsThatShareOneStoredFile()
    {
        var model = await CreateModelAsync("solar-irradiance");
        var first = await UploadAsync(model.Id, SampleModels.Solar);
        var second = await UploadAsync(model.Id, SampleModels.Solar);

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(first.Sha256, second.Sha256);
        // One file however many uploads (the sample's optimized copy is larger than it, so it is not kept).
        Assert.Equal(first.Sha256, Path.GetFileName(Assert.Single(Directory.GetFiles(Objects))));
        Assert.Empty(Directory.GetFiles(Incoming));
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "random", "is not a loadable ONNX model" },
        { "truncated", "is not a loadable ONNX model" },
        { "empty", "The file is empty" },
        { "too-large", "larger than the 1 MB upload limit" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Upload_ABadFile_IsRejectedWithAProblemAndLeavesNoFileAndNoVersion(string kind, string expected)
    {
        var model = await CreateModelAsync("bad-" + kind);
        await UploadAsync(model.Id, SampleModels.Solar);
        var filesBefore = Directory.GetFiles(Objects).Order().ToList();
        var bytes = kind switch
        {
            "random" => RandomBytes(4096),
            "truncated" => File.ReadAllBytes(SampleModels.Solar)[..2000],
            "empty" => [],
            _ => RandomBytes(1024 * 1024 + 10),
        };

        using var response = await PostFileAsync(model.Id, bytes, "candidate.onnx");

        Assert.Equal(kind == "too-large" ? HttpStatusCode.RequestEntityTooLarge : HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(ct);
        Assert.Contains(expected, problem!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.DataDirectory, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(filesBefore, Directory.GetFiles(Objects).Order().ToList());
        Assert.Empty(Directory.GetFiles(Incoming));
        var after = await admin.GetFromJsonAsync<ModelDto>(ApiRoutes.Model(model.Id), ct);
        Assert.Equal(1, after!.VersionCount);
    }

    [Fact]
    public async Task Upload_WithoutMultipartOrWithoutAFile_GetsAProblemSayingHowToSendIt()
    {
        var model = await CreateModelAsync("no-file");
        using (var raw = await admin.PostAsync(ApiRoutes.ModelVersions(model.Id), new ByteArrayContent([1, 2, 3]), ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);
            Assert.Contains("multipart/form-data", (await raw.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        using var form = new MultipartFormDataContent { { new StringContent("notes only"), "releaseNotes" } };
        using var noFile = await admin.PostAsync(ApiRoutes.ModelVersions(model.Id), form, ct);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Contains("no part named 'file'", (await noFile.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelNames_AndStages_AreValidatedAndChangedOverTheApi()
    {
        using (var bad = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("../Etc Passwd"), ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("not a valid model name", (await bad.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        var model = await CreateModelAsync("staged");
        using (var duplicate = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("staged"), ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        }

        await UploadAsync(model.Id, SampleModels.Solar);
        using var put = await admin.PutAsJsonAsync(ApiRoutes.ModelVersion("staged", 1), new UpdateModelVersionRequest(ModelStage.Production, "ready for the plant"), ct);
        put.EnsureSuccessStatusCode();
        var version = await put.Content.ReadFromJsonAsync<ModelVersionDto>(ct);
        Assert.Equal((ModelStage.Production, "ready for the plant"), (version!.Stage, version.ReleaseNotes));
        using var missing = await admin.PutAsJsonAsync(ApiRoutes.ModelVersion("staged", 9), new UpdateModelVersionRequest(ModelStage.Archived), ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ModelDeployment_BadRequests_AreRefusedWithReasons()
    {
        var model = await CreateModelAsync("deploy-rules");
        await UploadAsync(model.Id, SampleModels.Solar);
        var device = await ApiClient.EnrollDeviceAsync(admin, "rules-device", ct);

        async Task ExpectAsync(Portal.Shared.Deployments.CreateDeploymentRequest request, HttpStatusCode status, string detail)
        {
            using var response = await admin.PostAsJsonAsync(ApiRoutes.Deployments, request, ct);
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail, StringComparison.Ordinal);
        }

        await ExpectAsync(new(null, null, ModelId: "deploy-rules", ModelVersion: 7, DeviceIds: [device.DeviceId]), HttpStatusCode.NotFound, "There is no version 7");
        await ExpectAsync(new(null, null, ModelId: "deploy-rules", ModelVersion: 1, ExecutionProvider: "tpu", DeviceIds: [device.DeviceId]), HttpStatusCode.BadRequest, "'cpu' or 'cuda'");
        await ExpectAsync(new(null, null, ModelId: "deploy-rules", DeviceIds: [device.DeviceId]), HttpStatusCode.BadRequest, "modelVersion");
        await ExpectAsync(new(null, null, ModelId: "deploy-rules", ModelVersion: 1), HttpStatusCode.BadRequest, "at least one group or device");
        await ExpectAsync(new(null, null), HttpStatusCode.BadRequest, "Say what to deploy");
        using (await admin.PutAsJsonAsync(ApiRoutes.ModelVersion("deploy-rules", 1), new UpdateModelVersionRequest(ModelStage.Archived), ct))
        {
        }

        await ExpectAsync(new(null, null, ModelId: "deploy-rules", ModelVersion: 1, DeviceIds: [device.DeviceId]), HttpStatusCode.Conflict, "is archived");
    }

    [Fact]
    public async Task Viewer_ReadsModels_ButCannotCreateOrUpload()
    {
        var model = await CreateModelAsync("viewer-visible");
        await ApiClient.CreateUserAsync(admin, "viewer@portal.local", "Viewer-Passw0rd!", Portal.Shared.Security.PortalRoles.Viewer, ct);
        using var viewer = await ApiClient.SignedInAsync(portal, "viewer@portal.local", "Viewer-Passw0rd!", ct);

        Assert.Single((await viewer.GetFromJsonAsync<List<ModelDto>>(ApiRoutes.Models, ct))!);
        using var create = await viewer.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("nope"), ct);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(SampleModels.Solar)), "file", "m.onnx" } };
        using var upload = await viewer.PostAsync(ApiRoutes.ModelVersions(model.Id), form, ct);
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        using var anonymous = portal.CreateClient();
        using var anonymousList = await anonymous.GetAsync(ApiRoutes.Models, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousList.StatusCode);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private async Task<ModelDto> CreateModelAsync(string name, string? description = null, IReadOnlyList<string>? tags = null)
    {
        using var response = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest(name, description, tags), ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ModelDto>(ct))!;
    }

    private async Task<ModelVersionDto> UploadAsync(string modelId, string path, string? notes = null)
    {
        using var response = await PostFileAsync(modelId, File.ReadAllBytes(path), Path.GetFileName(path), notes);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<ModelVersionDto>(ct))!;
    }

    private async Task<HttpResponseMessage> PostFileAsync(string modelId, byte[] bytes, string fileName, string? notes = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (notes is not null)
        {
            form.Add(new StringContent(notes), "releaseNotes");
        }

        return await admin.PostAsync(ApiRoutes.ModelVersions(modelId), form, ct);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await portal.DisposeAsync();
    }
}

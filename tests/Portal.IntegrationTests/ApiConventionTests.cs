using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Shared.Devices;
using Portal.Shared.Models;
using Portal.Shared.Routes;
using Portal.Shared.Tokens;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Enums travel as names both ways (numbers still read), and a new thing with a secret has one shape.</summary>
public sealed class ApiConventionTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Device_Status_IsAName()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var id = (await ApiClient.EnrollDeviceAsync(admin, "status-as-name", ct)).DeviceId;

        using var device = JsonDocument.Parse(await admin.GetStringAsync(ApiRoutes.Device(id), ct));

        Assert.Equal(JsonValueKind.String, device.RootElement.GetProperty("status").ValueKind);
        Assert.Equal("Offline", device.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ModelStage_ReadmeExampleAndNumber_AreAccepted_UnknownNameIsExplained()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        (await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest("stage-names"), ct)).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(SampleModels.Solar, ct));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "solar.onnx");
        (await admin.PostAsync(ApiRoutes.ModelVersions("stage-names"), form, ct)).EnsureSuccessStatusCode();

        using var byName = await PutJsonAsync(admin, ApiRoutes.ModelVersion("stage-names", 1), """{"stage":"Production"}""");
        Assert.True(byName.StatusCode == HttpStatusCode.OK, await byName.Content.ReadAsStringAsync(ct));
        using (var answer = JsonDocument.Parse(await byName.Content.ReadAsStringAsync(ct)))
        {
            Assert.Equal("Production", answer.RootElement.GetProperty("stage").GetString());
        }

        using var byNumber = await PutJsonAsync(admin, ApiRoutes.ModelVersion("stage-names", 1), """{"stage":1}""");
        Assert.Equal(ModelStage.Staging, (await byNumber.Content.ReadFromJsonAsync<ModelVersionDto>(ct))!.Stage);

        using var unknown = await PutJsonAsync(admin, ApiRoutes.ModelVersion("stage-names", 1), """{"stage":"Prod"}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var problem = (await unknown.Content.ReadFromJsonAsync<ProblemDetails>(ct))!;
        Assert.Equal("The value of '$.stage' is not valid: 'Prod' is not a ModelStage: use one of Draft, Staging, Production, Archived.", problem.Detail);
    }

    [Fact]
    public async Task Deployment_ReadmeRollingExample_IsAcceptedAndAnsweredWithNames()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        var device = (await ApiClient.EnrollDeviceAsync(admin, "rolling-target", ct)).DeviceId;
        await DeploymentApi.CreateCertifiedAppAsync(admin, DeploymentApi.WebServerApp("rolling-names"), ct);
        var body = $$$"""
            {"appId":"rolling-names","version":"1","deviceIds":["{{{device}}}"],"parameters":{"PORT":"18099"},
             "strategy":{"kind":"Rolling","batchSize":5,"failureThresholdPercent":20,"minDevicesTried":5,"onFailure":"Rollback"}}
            """;

        using var response = await admin.PostAsync(ApiRoutes.Deployments, new StringContent(body, Encoding.UTF8, "application/json"), ct);

        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        using var answer = JsonDocument.Parse(text);
        var strategy = answer.RootElement.GetProperty("strategy");
        Assert.Equal("Rolling", strategy.GetProperty("kind").GetString());
        Assert.Equal("Rollback", strategy.GetProperty("onFailure").GetString());
        Assert.Equal(JsonValueKind.String, answer.RootElement.GetProperty("state").ValueKind);
    }

    [Fact]
    public async Task CreatedTokens_EnrollmentAndAccess_HaveOneShape()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);

        using var enrollment = await admin.PostAsJsonAsync(ApiRoutes.EnrollmentTokens, new CreateEnrollmentTokenRequest("shape"), ct);
        using var access = await admin.PostAsJsonAsync(ApiRoutes.Tokens, new CreateAccessTokenRequest("shape"), ct);

        AssertShape(await enrollment.Content.ReadAsStringAsync(ct), "enr_");
        AssertShape(await access.Content.ReadAsStringAsync(ct), "pat_");
    }

    [Fact]
    public async Task OpenApi_Enums_AreStringsWithTheirNames()
    {
        using var admin = await ApiClient.AdminAsync(fixture.Factory, ct);
        using var document = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct));

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var stage = schemas.EnumerateObject().Single(s => s.Name == "ModelStage").Value;
        Assert.Equal(["Draft", "Staging", "Production", "Archived"], stage.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("string", stage.GetProperty("type").ToString(), StringComparison.Ordinal);
    }

    private static void AssertShape(string json, string prefix)
    {
        using var created = JsonDocument.Parse(json);
        Assert.Equal(["token", "secret"], created.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Object, created.RootElement.GetProperty("token").ValueKind);
        Assert.StartsWith(prefix, created.RootElement.GetProperty("secret").GetString(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PutJsonAsync(HttpClient client, string path, string json) =>
        client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), ct);
}

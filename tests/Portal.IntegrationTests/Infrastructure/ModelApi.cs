using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Shared.Models;
using Portal.Shared.Routes;

namespace Portal.Testing;

/// <summary>Model-registry calls the way an operator's script makes them.</summary>
public static class ModelApi
{
    /// <summary>Creates the model and uploads the solar sample twice (versions 1 and 2 share one file).</summary>
    public static async Task CreateWithTwoVersionsAsync(HttpClient admin, string name, CancellationToken ct)
    {
        using (var created = await admin.PostAsJsonAsync(ApiRoutes.Models, new CreateModelRequest(name), ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(SampleModels.Solar, ct));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "solar.onnx");
            using var uploaded = await admin.PostAsync(ApiRoutes.ModelVersions(name), form, ct);
            Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(ct));
        }
    }
}

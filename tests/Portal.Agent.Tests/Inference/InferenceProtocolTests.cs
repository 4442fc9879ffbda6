using System.Net;
using System.Text.Json;
using Portal.Testing;

namespace Portal.Agent.Tests.Inference;

/// <summary>
/// The agent's inference endpoint, over real HTTP on loopback, against the Open Inference Protocol v2 REST surface
/// (KServe's inference_rest.md): every route, and every kind of bad request answered 4xx with {"error"} while the
/// endpoint keeps serving.
/// </summary>
public sealed class InferenceProtocolTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private InferenceHost host = default!;

    public async ValueTask InitializeAsync() => host = await InferenceHost.StartAsync(ct);

    private static string Window(string extra = "") => JsonSerializer.Serialize(new { inputs = new[] { new { name = "window", datatype = "FP32", shape = new[] { 1, 256 }, data = SampleModels.SineWindow() } } })
        .Insert(1, extra);

    [Fact]
    public async Task Routes_EveryV2Route_AnswersAsTheProtocolDefines()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v2/health/live", ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v2/health/ready", ct)).Status);
        var server = (await host.GetAsync("/v2", ct)).Json;
        Assert.Equal("edgeportal-agent", server.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, server.GetProperty("extensions").ValueKind);
        Assert.False(string.IsNullOrEmpty(server.GetProperty("version").GetString()));

        foreach (var path in new[] { "/v2/models/vibration-anomaly", "/v2/models/vibration-anomaly/versions/1" })
        {
            var metadata = (await host.GetAsync(path, ct)).Json;
            Assert.Equal("vibration-anomaly", metadata.GetProperty("name").GetString());
            Assert.Equal(["1"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
            var input = metadata.GetProperty("inputs")[0];
            Assert.Equal(("window", "FP32"), (input.GetProperty("name").GetString(), input.GetProperty("datatype").GetString()));
            Assert.Equal([-1L, 256L], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(["score", "features"], metadata.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        }

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v2/models/vibration-anomaly/ready", ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v2/models/vibration-anomaly/versions/1/ready", ct)).Status);

        // Both infer routes; the id echoed; "parameters" accepted at the top and on an input.
        var expected = SampleModels.VibrationScore(SampleModels.SineWindow(), host.Models.Find("vibration-anomaly")!.Signature.Metadata);
        foreach (var path in new[] { "/v2/models/vibration-anomaly/infer", "/v2/models/vibration-anomaly/versions/1/infer" })
        {
            var reply = await host.PostAsync(path, Window("\"id\":\"req-42\",\"parameters\":{\"priority\":1},"), ct);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var body = reply.Json;
            Assert.Equal(("vibration-anomaly", "1", "req-42"), (body.GetProperty("model_name").GetString(), body.GetProperty("model_version").GetString(), body.GetProperty("id").GetString()));
            Assert.Equal(["score", "features"], body.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
            Assert.Equal(expected, body.GetProperty("outputs")[0].GetProperty("data")[0].GetDouble(), 3);
        }

        // The outputs filter: only what is asked for, in the order asked.
        var only = (await host.PostAsync("/v2/models/vibration-anomaly/infer", Window("\"outputs\":[{\"name\":\"features\",\"parameters\":{\"binary_data\":false}}],"), ct)).Json;
        var features = Assert.Single(only.GetProperty("outputs").EnumerateArray());
        Assert.Equal("features", features.GetProperty("name").GetString());
        Assert.Equal([1L, 4L], features.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.False(only.TryGetProperty("id", out _));

        // Nested data is the same tensor as flat data.
        const string nested = """{"inputs":[{"name":"x","datatype":"FP32","shape":[2,2,2],"data":[[[1,2],[3,4]],[[5,6],[7,8]]]}]}""";
        var fromNested = await host.PostAsync("/v2/models/volume/infer", nested, ct);
        var fromFlat = await host.PostAsync("/v2/models/volume/infer", nested.Replace("[[[1,2],[3,4]],[[5,6],[7,8]]]", "[1,2,3,4,5,6,7,8]", StringComparison.Ordinal), ct);
        Assert.Equal(HttpStatusCode.OK, fromNested.Status);
        Assert.Equal(fromFlat.Body, fromNested.Body);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8], fromNested.Json.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Theory]
    [InlineData("GET", "/v2/models/nope", null, 404, "No model named 'nope' is served on this device; it serves all-types, constant, sequence, unknown-dims, vibration-anomaly, volume.")]
    [InlineData("GET", "/v2/models/nope/ready", null, 404, "No model named 'nope'")]
    [InlineData("GET", "/v2/models/vibration-anomaly/versions/2", null, 404, "served here at version 1, not '2'")]
    [InlineData("GET", "/v2/models/vibration-anomaly/versions/2/ready", null, 404, "served here at version 1, not '2'")]
    [InlineData("POST", "/v2/models/vibration-anomaly/versions/2/infer", "{}", 404, "served here at version 1, not '2'")]
    [InlineData("POST", "/v2/models/nope/infer", "{}", 404, "No model named 'nope'")]
    [InlineData("POST", "/v2/models/vibration-anomaly/infer", "{\"inputs\":[", 400, "The body is not valid JSON")]
    [InlineData("POST", "/v2/models/vibration-anomaly/infer", "", 400, "The body is not valid JSON")]
    [InlineData("POST", "/v2/models/vibration-anomaly/infer", "[1,2]", 400, "JSON object with an \"inputs\" array")]
    [InlineData("POST", "/v2/models/volume/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[2147483648,2147483648,2147483648],"data":[]}]}""", 400, "has shape [2147483648, 2147483648, 2147483648], more than the 16777216 elements accepted")]
    [InlineData("POST", "/v2/models/vibration-anomaly/infer", """{"inputs":[{"name":"window","datatype":"FP32","shape":[2147483648,2147483648,2147483648],"data":[]}]}""", 400, "but the model expects [batch × 256]")]
    [InlineData("POST", "/v2/models/all-types/infer", """{"inputs":[{"name":"x_fp32","datatype":"FP32","shape":[4294967296],"data":[]}]}""", 400, "more than the 16777216 elements accepted")]
    [InlineData("POST", "/v2/models/unknown-dims/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[2147483648],"data":[]}]}""", 400, "more than the 16777216 elements accepted")]
    [InlineData("POST", "/v2/models/vibration-anomaly/infer", """{"id":7,"inputs":[]}""", 400, "\"id\" must be a string")]
    [InlineData("POST", "/v2/models/vibration-anomaly/infer", """{"outputs":[{"name":"nope"}],"inputs":[]}""", 400, "no output 'nope'; its outputs are: score, features")]
    [InlineData("POST", "/v2/models/vibration-anomaly/infer", """{"outputs":{"name":"score"},"inputs":[]}""", 400, "\"outputs\" must be an array")]
    [InlineData("POST", "/v2/models/sequence/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}""", 400, "Output 'pair' is a SEQUENCE, not a tensor")]
    [InlineData("POST", "/v2/models/constant/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}""", 400, "The model takes no inputs, but 'x' was given")]
    [InlineData("GET", "/v2/models/vibration-anomaly/infer", null, 405, "GET is not allowed on /v2/models/vibration-anomaly/infer")]
    [InlineData("GET", "/v3/anything", null, 404, "There is no route /v3/anything")]
    public async Task BadRequest_AnswersA4xxWithAnErrorBody_AndTheEndpointKeepsServing(string method, string path, string? body, int status, string expected)
    {
        var reply = method == "GET" ? await host.GetAsync(path, ct) : await host.PostAsync(path, body!, ct);

        Assert.Equal((HttpStatusCode)status, reply.Status);
        Assert.Contains(expected, reply.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/v2/models/vibration-anomaly/infer", Window(), ct)).Status);
    }

    [Fact]
    public async Task Infer_BodyOverTheLimit_Is413WithAnErrorBody_AndTheEndpointKeepsServing()
    {
        var big = "{\"inputs\":[{\"name\":\"window\",\"datatype\":\"FP32\",\"shape\":[1,256],\"data\":[" + string.Join(',', Enumerable.Repeat("0.125", 300_000)) + "]}]}";

        var reply = await host.PostAsync("/v2/models/vibration-anomaly/infer", big, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Contains("The request could not be read", reply.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/v2/models/vibration-anomaly/infer", Window(), ct)).Status);
    }

    public async ValueTask DisposeAsync() => await host.DisposeAsync();
}

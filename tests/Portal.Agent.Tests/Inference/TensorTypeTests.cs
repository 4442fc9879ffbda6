using System.Net;
using System.Text.Json;

namespace Portal.Agent.Tests.Inference;

/// <summary>
/// Every tensor type ONNX Runtime's CPU provider serves goes in and comes back out over v2 JSON through the real
/// endpoint, including outputs ONNX Runtime must allocate itself (types not preallocated, dimensions unknown until
/// the run): before, those outputs were read after ONNX Runtime had freed them and the process died with SIGSEGV.
/// </summary>
public sealed class TensorTypeTests : IAsyncLifetime
{
    /// <summary>Per type: the v2 datatype and three values, written as the response writes them back.</summary>
    private static readonly (string Type, string Datatype, string Data)[] Types =
    [
        ("fp32", "FP32", "[0.5,-2.25,1024]"),
        ("fp64", "FP64", "[0.1,-2.5,3.141592653589793]"),
        ("fp16", "FP16", "[0.5,-2,65504]"),
        ("bf16", "BF16", "[0.5,-2,1024]"),
        ("int8", "INT8", "[-128,0,127]"),
        ("int16", "INT16", "[-32768,1,32767]"),
        ("int32", "INT32", "[-2147483648,0,2147483647]"),
        ("int64", "INT64", "[-9223372036854775808,0,9223372036854775807]"),
        ("uint8", "UINT8", "[0,1,255]"),
        ("uint16", "UINT16", "[0,1,65535]"),
        ("uint32", "UINT32", "[0,1,4294967295]"),
        ("uint64", "UINT64", "[0,1,18446744073709551615]"),
        ("bool", "BOOL", "[true,false,true]"),
        ("bytes", "BYTES", "[\"héllo\",\"\",\"Ω ✓\"]"),
    ];

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private InferenceHost host = default!;

    public async ValueTask InitializeAsync() => host = await InferenceHost.StartAsync(ct);

    private static string AllTypes(string outputs = "", string? replace = null, string? with = null)
    {
        var inputs = Types.Select(t => $$"""{"name":"x_{{t.Type}}","datatype":"{{t.Datatype}}","shape":[3],"data":{{(t.Type == replace ? with : t.Data)}}}""");
        return $$"""{{{outputs}}"inputs":[{{string.Join(',', inputs)}}]}""";
    }

    private static void AssertRoundTrip(JsonElement response, IEnumerable<string> types)
    {
        var outputs = response.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(types.Select(t => "y_" + t).Order(), outputs.Keys.Order());
        foreach (var (type, datatype, data) in Types.Where(t => types.Contains(t.Type)))
        {
            var output = outputs["y_" + type];
            Assert.Equal(datatype, output.GetProperty("datatype").GetString());
            Assert.Equal([3L], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(JsonDocument.Parse(data).RootElement.EnumerateArray().Select(Token), output.GetProperty("data").EnumerateArray().Select(Token));
        }
    }

    private static string Token(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    [Fact]
    public async Task Infer_EveryTensorType_ComesBackAsItWentIn()
    {
        var reply = await host.PostAsync("/v2/models/all-types/infer", AllTypes(), ct);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        AssertRoundTrip(reply.Json, Types.Select(t => t.Type));
    }

    [Theory]
    [InlineData("fp16,int8,int16,uint32,uint64")]   // the outputs that killed the agent
    [InlineData("fp32,int64,bool")]                  // preallocated buffers
    [InlineData("bytes,bf16,uint16")]
    public async Task Infer_OutputsFilteredToSomeTypes_ReturnsExactlyThoseRoundTripped(string types)
    {
        var wanted = types.Split(',');
        var filter = "\"outputs\":[" + string.Join(',', wanted.Select(t => $"{{\"name\":\"y_{t}\"}}")) + "],";

        var reply = await host.PostAsync("/v2/models/all-types/infer", AllTypes(filter), ct);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        AssertRoundTrip(reply.Json, wanted);
    }

    [Theory]
    [InlineData("fp16", "[0.5,70000,1]", "holds 70000 at position 1, which is not a valid FP16 value (a number within ±65504)")]
    [InlineData("bf16", "[0.5,1e39,1]", "holds 1e39 at position 1, which is not a valid BF16 value")]
    [InlineData("int8", "[1,128,1]", "holds 128 at position 1, which is not a valid INT8 value")]
    [InlineData("uint64", "[1,-1,1]", "holds -1 at position 1, which is not a valid UINT64 value")]
    [InlineData("bytes", "[\"a\",2,\"c\"]", "holds 2 at position 1, which is not a valid BYTES value (BYTES are given as JSON strings)")]
    [InlineData("bool", "[true,1,false]", "holds 1 at position 1, which is not a valid BOOL value (true or false)")]
    [InlineData("fp32", "[1,2]", "Input 'x_fp32' has 2 values but its shape [3] needs 3")]
    public async Task Infer_AValueThatDoesNotFitItsType_Is400NamingIt(string type, string data, string expected)
    {
        var reply = await host.PostAsync("/v2/models/all-types/infer", AllTypes(replace: type, with: data), ct);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(expected, reply.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/v2/models/all-types/infer", AllTypes(), ct)).Status);
    }

    [Fact]
    public async Task Infer_OutputsWithUnknownOrWronglyGuessedDimensions_AreAllocatedByOnnxRuntimeAndCopiedOut()
    {
        // "anonymous" has a dimension with no name, "renamed" (INT8) one named after no input, and "doubled" one
        // named like the input's but twice as long: preallocating it fails and the server must run again without.
        for (var run = 0; run < 2; run++)
        {
            var reply = await host.PostAsync("/v2/models/unknown-dims/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[3],"data":[1,-2,3.5]}]}""", ct);

            Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
            var outputs = reply.Json.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o);
            Assert.Equal(["1", "-2", "3.5"], outputs["anonymous"].GetProperty("data").EnumerateArray().Select(Token));
            Assert.Equal("INT8", outputs["renamed"].GetProperty("datatype").GetString());
            Assert.Equal(["1", "-2", "3"], outputs["renamed"].GetProperty("data").EnumerateArray().Select(Token));
            Assert.Equal([6L], outputs["doubled"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(["1", "-2", "3.5", "1", "-2", "3.5"], outputs["doubled"].GetProperty("data").EnumerateArray().Select(Token));
        }

        var empty = await host.PostAsync("/v2/models/unknown-dims/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[0],"data":[]}]}""", ct);
        Assert.True(empty.Status == HttpStatusCode.OK, empty.Body);
        Assert.All(empty.Json.GetProperty("outputs").EnumerateArray(), o => Assert.Equal(0, o.GetProperty("data").GetArrayLength()));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"inputs":[]}""")]
    [InlineData("""{"id":"c1","inputs":[],"parameters":{}}""")]
    public async Task Infer_AModelWithNoInputs_AnswersItsConstant(string body)
    {
        var reply = await host.PostAsync("/v2/models/constant/infer", body, ct);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var answer = Assert.Single(reply.Json.GetProperty("outputs").EnumerateArray());
        Assert.Equal(["1.5", "-2", "42"], answer.GetProperty("data").EnumerateArray().Select(Token));
        var metadata = (await host.GetAsync("/v2/models/constant", ct)).Json;
        Assert.Equal(0, metadata.GetProperty("inputs").GetArrayLength());
    }

    [Fact]
    public void SyntheticInputs_EveryTensorType_RunThroughTheModelForProfiling()
    {
        using var model = InferenceHost.Load("all-types", Portal.Testing.SampleModels.TestModel("all-types.onnx"));
        using var inputs = Portal.Agent.Inference.SyntheticInputs.Create(model.Signature, new Random(1));

        var outputs = model.Run(inputs);

        Assert.Equal(Types.Select(t => t.Datatype), outputs.Select(o => o.Datatype));
        Assert.All(outputs, o => Assert.Equal([1L], o.Shape));
    }

    public async ValueTask DisposeAsync() => await host.DisposeAsync();
}

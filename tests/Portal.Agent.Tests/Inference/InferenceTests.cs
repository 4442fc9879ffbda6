using System.Text.Json;
using Portal.Agent.Inference;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.Agent.Tests.Inference;

/// <summary>The agent's model host on the shipped sample models, in ONNX Runtime for real.</summary>
public sealed class InferenceTests : IDisposable
{
    private readonly ServedModel vibration = new(Spec("vibration-anomaly"), SampleModels.Vibration, intraOpThreads: 1);
    private readonly ServedModel solar = new(Spec("solar-irradiance"), SampleModels.Solar, intraOpThreads: 1);

    private static ModelWorkloadSpec Spec(string name) => new(name, "d1", "m1", 1, new string('a', 64), 1, "/x", "cpu", "h");

    [Fact]
    public void Signature_OfTheVibrationModel_NamesTensorsSymbolicBatchOpsetAndMetadata()
    {
        var s = vibration.Signature;
        var input = Assert.Single(s.Inputs);
        Assert.Equal(("window", "FP32"), (input.Name, input.Datatype));
        Assert.Equal([-1L, 256L], input.Shape);
        Assert.Equal("batch × 256", input.ShapeText());
        Assert.Equal(["score", "features"], s.Outputs.Select(o => o.Name));
        Assert.Equal(13, s.Opsets["ai.onnx"]);
        Assert.Equal(7, s.IrVersion);
        Assert.Equal("edgeportal-samples", s.Producer);
        Assert.Equal("rms,peak,crest,kurtosis", s.Metadata["features"]);
    }

    [Fact]
    public void Run_SineWindow_ScoreMatchesTheFormulaComputedByHand()
    {
        var window = SampleModels.SineWindow();
        using var request = JsonDocument.Parse(JsonSerializer.Serialize(new { inputs = new[] { new { name = "window", datatype = "FP32", shape = new[] { 1, 256 }, data = window } } }));
        using var inputs = TensorCodec.ReadInputs(request.RootElement, vibration.Signature.Inputs);
        var outputs = vibration.Run(inputs);

        var score = ((float[])outputs[0].Data)[0];
        Assert.Equal(SampleModels.VibrationScore(window, vibration.Signature.Metadata), score, 3);
        Assert.Equal([1L, 1L], outputs[0].Shape);
    }

    [Fact]
    public void Run_ABatchOfThreeNestedRows_ReturnsThreeIrradiancesAndNeverNegative()
    {
        const string json = """{"inputs":[{"name":"features","datatype":"FP32","shape":[3,4],"data":[[60,0,25,0.5],[30,1,10,0.9],[-5,0,5,0.3]]}]}""";
        using var request = JsonDocument.Parse(json);
        using var inputs = TensorCodec.ReadInputs(request.RootElement, solar.Signature.Inputs);
        var outputs = solar.Run(inputs);

        var values = (float[])outputs[0].Data;
        Assert.Equal(3, values.Length);
        Assert.InRange(values[0], 700, 1000);   // clear sky, high sun
        Assert.True(values[1] < values[0] / 2, $"overcast {values[1]} should be far below clear {values[0]}");
        Assert.InRange(values[2], 0, 20);       // sun below the horizon
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"wrong","datatype":"FP32","shape":[1,256],"data":[]}]}""", "no input 'wrong'")]
    [InlineData("""{"inputs":[]}""", "Input 'window' (FP32, shape [batch × 256]) is missing")]
    [InlineData("""{"inputs":[{"name":"window","datatype":"INT64","shape":[1,256],"data":[]}]}""", "is FP32, not INT64")]
    [InlineData("""{"inputs":[{"name":"window","datatype":"FP32","shape":[1,255],"data":[]}]}""", "has shape [1, 255] but the model expects [batch × 256]")]
    [InlineData("""{"inputs":[{"name":"window","datatype":"FP32","shape":[256],"data":[]}]}""", "has shape [256]")]
    [InlineData("""{"inputs":[{"name":"window","datatype":"FP32","shape":[1,256],"data":[1,2,3]}]}""", "has 3 values but its shape [1, 256] needs 256")]
    [InlineData("""{"inputs":[{"name":"window","datatype":"FP32","shape":[1,256],"data":["a"]}]}""", "holds the text \"a\" at position 0")]
    [InlineData("""[1,2]""", "JSON object with an \"inputs\" array")]
    public void ReadInputs_AMistake_IsNamedInTheMessage(string json, string expected)
    {
        using var request = JsonDocument.Parse(json);
        var error = Assert.Throws<InferenceRequestException>(() => TensorCodec.ReadInputs(request.RootElement, vibration.Signature.Inputs));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteResponse_Outputs_AreOpenInferenceProtocolJson()
    {
        using var request = JsonDocument.Parse(JsonSerializer.Serialize(new { inputs = new[] { new { name = "window", datatype = "FP32", shape = new[] { 2, 256 }, data = SampleModels.SineWindow().Concat(SampleModels.SineWindow(1.0)).ToArray() } } }));
        using var inputs = TensorCodec.ReadInputs(request.RootElement, vibration.Signature.Inputs);
        var outputs = vibration.Run(inputs);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            TensorCodec.WriteResponse(writer, "vibration-anomaly", "1", "req-7", outputs);
        }

        using var response = JsonDocument.Parse(buffer.ToArray());
        var root = response.RootElement;
        Assert.Equal("vibration-anomaly", root.GetProperty("model_name").GetString());
        Assert.Equal("req-7", root.GetProperty("id").GetString());
        var features = root.GetProperty("outputs")[1];
        Assert.Equal("features", features.GetProperty("name").GetString());
        Assert.Equal("FP32", features.GetProperty("datatype").GetString());
        Assert.Equal([2, 4], features.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(8, features.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void SyntheticInputs_DeclaredShapes_RunThroughTheModel()
    {
        using var inputs = SyntheticInputs.Create(vibration.Signature, new Random(1));
        var outputs = vibration.Run(inputs);
        Assert.Equal([1L, 4L], outputs[1].Shape);
    }

    [Fact]
    public void OnnxModelFile_RandomBytes_FailWithAMessageNotACrash()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
            Assert.Throws<InvalidDataException>(() => OnnxModelFile.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CudaAsked_OnADeviceWithoutIt_RunsOnCpuAndSaysWhy()
    {
        Assert.SkipWhen(SessionFactory.CudaAvailable(), "This machine's ONNX Runtime has CUDA: the fallback cannot be shown here.");
        using var model = new ServedModel(Spec("vibration-anomaly") with { ExecutionProvider = "cuda" }, SampleModels.Vibration, intraOpThreads: 1);

        Assert.Equal("cpu", model.Provider);
        Assert.Contains("no CUDA execution provider", model.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArtifactCache_NotEnoughDisk_FailsBeforeDownloadingWithTheNumbers()
    {
        var data = Path.Combine(Path.GetTempPath(), "artifact-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = Microsoft.Extensions.Options.Options.Create(new Configuration.AgentOptions { DataDirectory = data, MinFreeDiskMb = 1_000_000 });
            var cache = new ArtifactCache(options, new NoHttp(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ArtifactCache>.Instance);
            var error = await Assert.ThrowsAsync<ModelArtifactException>(() => cache.FetchAsync(new string('a', 64), 5_000_000, new Uri("http://127.0.0.1:1/x"), "secret", _ => { }, () => { }, TestContext.Current.CancellationToken));

            Assert.StartsWith("Not enough disk: the model needs 5 MB more and 1000000 MB must stay free", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(cache.Directory));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No download may start.");
    }

    [Fact]
    public void LatencyRecorder_Percentiles_AreNearestRank()
    {
        var recorder = new LatencyRecorder(window: 100);
        for (var i = 1; i <= 100; i++)
        {
            recorder.Record(i, failed: i % 10 == 0);
        }

        Assert.Equal((50.0, 95.0, 99.0), ((double, double, double))recorder.Percentiles()!);
        Assert.Equal((100, 10), (recorder.Requests, recorder.Errors));
    }

    public void Dispose()
    {
        vibration.Dispose();
        solar.Dispose();
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Configuration;
using Portal.Agent.Inference;
using Portal.Shared.Workloads;
using Portal.Testing;

namespace Portal.Agent.Tests.Inference;

/// <summary>
/// The agent's real inference endpoint (Kestrel on a free 127.0.0.1 port) serving the sample and test models, and a
/// client for it. Version 1 of each model; request bodies are capped at 1 MB.
/// </summary>
internal sealed class InferenceHost : IAsyncDisposable
{
    private readonly InferenceServer server;

    private InferenceHost(InferenceServer server, ModelHost models)
    {
        this.server = server;
        Models = models;
        Http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ModelHost Models { get; }

    public HttpClient Http { get; }

    public static ModelWorkloadSpec Spec(string name, int version = 1) => new(name, "d1", "m1", version, new string('a', 64), 1, "/x", "cpu", "h" + version);

    public static ServedModel Load(string name, string path, int version = 1) => new(Spec(name, version), path, intraOpThreads: 1);

    public static async Task<InferenceHost> StartAsync(CancellationToken ct)
    {
        var models = new ModelHost();
        models.Put(Load("vibration-anomaly", SampleModels.Vibration));
        models.Put(Load("all-types", SampleModels.TestModel("all-types.onnx")));
        models.Put(Load("unknown-dims", SampleModels.TestModel("unknown-dims.onnx")));
        models.Put(Load("constant", SampleModels.TestModel("constant.onnx")));
        models.Put(Load("sequence", SampleModels.TestModel("sequence.onnx")));
        models.Put(Load("volume", SampleModels.TestModel("volume.onnx")));
        var options = Microsoft.Extensions.Options.Options.Create(new AgentOptions { Inference = { Port = 0, MaxRequestBodyMb = 1 } });
        var server = new InferenceServer(options, models, NullLogger<InferenceServer>.Instance);
        await server.EnsureStartedAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        return new InferenceHost(server, models);
    }

    public Task<Reply> GetAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);

    public Task<Reply> PostAsync(string path, string json, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, ct);

    private async Task<Reply> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        using (var response = await Http.SendAsync(request, ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return new Reply(response.StatusCode, body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await server.DisposeAsync();
        Models.Dispose();
    }

    /// <summary>A response's status and body; <see cref="Json"/> parses the body.</summary>
    internal sealed record Reply(HttpStatusCode Status, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string Error => Json.GetProperty("error").GetString()!;
    }
}

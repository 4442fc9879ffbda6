using System.Net;
using System.Text.Json;
using Portal.Agent.Inference;
using Portal.Testing;

namespace Portal.Agent.Tests.Inference;

/// <summary>
/// A model unloaded or replaced while requests run on it: its session stays open until the last of them ends, so no
/// request ever touches a freed session.
/// </summary>
public sealed class ModelLifetimeTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private static TensorSet Window(ServedModel model)
    {
        using var request = JsonDocument.Parse(JsonSerializer.Serialize(new { inputs = new[] { new { name = "window", datatype = "FP32", shape = new[] { 1, 256 }, data = SampleModels.SineWindow() } } }));
        return TensorCodec.ReadInputs(request.RootElement, model.Signature.Inputs);
    }

    [Fact]
    public void Dispose_WhileLeased_KeepsTheSessionUntilTheLeaseEnds()
    {
        var model = InferenceHost.Load("vibration-anomaly", SampleModels.Vibration);
        using var inputs = Window(model);
        var lease = model.Acquire();
        Assert.NotNull(lease);

        model.Dispose();

        Assert.Null(model.Acquire());
        Assert.Equal(2, model.Run(inputs).Count);
        lease.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Run(inputs));
    }

    [Fact]
    public async Task Put_ReplacingAModelUnderConcurrentRequests_EveryRequestAnswers200()
    {
        await using var host = await InferenceHost.StartAsync(ct);
        var body = JsonSerializer.Serialize(new { inputs = new[] { new { name = "window", datatype = "FP32", shape = new[] { 1, 256 }, data = SampleModels.SineWindow() } } });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var answered = new List<HttpStatusCode>();
            while (!stop.IsCancellationRequested)
            {
                answered.Add((await host.PostAsync("/v2/models/vibration-anomaly/infer", body, ct)).Status);
            }

            return answered;
        }, ct)).ToList();

        for (var version = 2; version <= 30; version++)
        {
            host.Models.Put(InferenceHost.Load("vibration-anomaly", SampleModels.Vibration, version));
            await Task.Delay(20, ct);
        }

        await stop.CancelAsync();
        var statuses = (await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30), ct)).SelectMany(s => s).ToList();
        Assert.True(statuses.Count > 29, $"only {statuses.Count} requests ran");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal("30", (await host.GetAsync("/v2/models/vibration-anomaly", ct)).Json.GetProperty("versions")[0].GetString());
    }
}

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
        var count = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var answered = new List<HttpStatusCode>();
            while (!stop.IsCancellationRequested)
            {
                answered.Add((await host.PostAsync("/v2/models/vibration-anomaly/infer", body, ct)).Status);
                Interlocked.Increment(ref count);
            }

            return answered;
        }, ct)).ToList();

        // Swap versions while requests run, until both enough swaps and enough requests have happened (a busy machine
        // runs fewer requests per swap).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var version = 1;
        while ((version < 30 || Volatile.Read(ref count) < 200) && DateTime.UtcNow < deadline)
        {
            host.Models.Put(InferenceHost.Load("vibration-anomaly", SampleModels.Vibration, ++version));
            await Task.Delay(10, ct);
        }

        await stop.CancelAsync();
        var statuses = (await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30), ct)).SelectMany(s => s).ToList();
        Assert.True(statuses.Count >= 200, $"only {statuses.Count} requests ran in 60 s");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), (await host.GetAsync("/v2/models/vibration-anomaly", ct)).Json.GetProperty("versions")[0].GetString());
    }
}

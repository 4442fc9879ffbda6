using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Configuration;
using Portal.Agent.Inference;
using Portal.Shared.Workloads;

namespace Portal.Bench;

/// <summary>
/// The agent's inference endpoint (HTTP/JSON, Open Inference Protocol v2, input checks, metrics) against a direct
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// on the same model in the same process: what serving over the local endpoint costs per request.
/// </summary>
internal static class InferenceBench
{
    public static async Task RunAsync(string modelsFolder, int iterations)
    {
        Console.WriteLine($"| model | path | mean µs | p50 µs | p99 µs | req/s | p50 vs direct |");
        Console.WriteLine($"|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, input, shape, values) in Cases())
        {
            var path = Path.Combine(modelsFolder, name + ".onnx");
            var direct = Direct(path, input, shape, values, iterations);
            var endpoint = await EndpointAsync(name, path, input, shape, values, iterations, concurrency: 1);
            var parallel = await EndpointAsync(name, path, input, shape, values, iterations, concurrency: 4);
            Row(name, "InferenceSession.Run (OrtValue in, ORT-allocated out)", direct, direct);
            Row(name, "agent endpoint, 1 client", endpoint, direct);
            Row(name, "agent endpoint, 4 concurrent clients", parallel, direct);
        }
    }

    private static IEnumerable<(string Name, string Input, long[] Shape, float[] Values)> Cases()
    {
        yield return ("solar-irradiance", "features", [1, 4], [45f, 0.3f, 20f, 0.5f]);
        yield return ("vibration-anomaly", "window", [1, 256], Enumerable.Range(0, 256).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 29.5 * i / 1000))).ToArray());
    }

    private sealed record Result(double[] Micros, double Seconds, int Requests)
    {
        public double Mean => Micros.Average();

        public double P(double p) => LatencyRecorder.Percentile(Micros, p);

        public double PerSecond => Requests / Seconds;
    }

    private static Result Direct(string path, string input, long[] shape, float[] values, int iterations)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(path, options);
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(values, shape);
        string[] inputs = [input];
        OrtValue[] inputValues = [value];
        var outputs = session.OutputNames.ToArray();
        for (var i = 0; i < 500; i++)
        {
            session.Run(runOptions, inputs, inputValues, outputs).Dispose();
        }

        var times = new double[iterations];
        var all = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            session.Run(runOptions, inputs, inputValues, outputs).Dispose();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        return new Result(times, all.Elapsed.TotalSeconds, iterations);
    }

    private static async Task<Result> EndpointAsync(string name, string path, string input, long[] shape, float[] values, int iterations, int concurrency)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AgentOptions { PortalUrl = "http://127.0.0.1:1", Inference = new InferenceOptions { Port = 0, IntraOpThreads = 1 } });
        using var host = new ModelHost();
        host.Put(new ServedModel(new ModelWorkloadSpec(name, "bench", "bench", 1, new string('0', 64), 0, "", "cpu", "bench"), path, 1));
        await using var server = new InferenceServer(options, host, NullLogger<InferenceServer>.Instance);
        await server.EnsureStartedAsync(CancellationToken.None);
        var body = JsonSerializer.Serialize(new { inputs = new[] { new { name = input, shape, datatype = "FP32", data = values } } });
        using var http = new HttpClient { BaseAddress = server.Address };
        var url = new Uri($"/v2/models/{name}/infer", UriKind.Relative);

        async Task<double> OneAsync()
        {
            var start = Stopwatch.GetTimestamp();
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(url, content);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The endpoint answered {(int)response.StatusCode}");
            }

            return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        for (var i = 0; i < 500; i++)
        {
            await OneAsync();
        }

        var times = new double[iterations];
        var next = -1;
        var all = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < iterations)
            {
                times[i] = await OneAsync();
            }
        })));
        var seconds = all.Elapsed.TotalSeconds;
        Array.Sort(times);
        return new Result(times, seconds, iterations);
    }

    private static void Row(string model, string path, Result r, Result direct) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {model} | {path} | {r.Mean:F1} | {r.P(0.5):F1} | {r.P(0.99):F1} | {r.PerSecond:F0} | {r.P(0.5) / direct.P(0.5):F1}× |"));
}

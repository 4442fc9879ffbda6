using System.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Configuration;
using Portal.Agent.Enrollment;
using Portal.Shared.Models;

namespace Portal.Agent.Inference;

/// <summary>
/// Benchmarks a model on this device when an operator asks: fetch and verify the artifact, load it in its own session,
/// run warm-ups, then time each of N runs on synthetic inputs. Memory is how much the process grew while loading and
/// running (working set), which is what the device pays for serving it.
/// </summary>
public sealed partial class ModelProfiler(IOptions<AgentOptions> options, ArtifactCache artifacts, ILogger<ModelProfiler> logger)
{
    public const int MaxRuns = 10_000;

    public ILogger Logger => logger;

    public async Task<ProfileResult> ProfileAsync(ProfileJob job, AgentCredentials credentials, CancellationToken ct)
    {
        try
        {
            using var pin = artifacts.Pin(job.Sha256);
            var path = await artifacts.FetchAsync(job.Sha256, job.SizeBytes, new Uri(new Uri(credentials.PortalUrl), job.DownloadPath), credentials.DeviceSecret, _ => { }, () => { }, ct);
            return await Task.Run(() => Measure(job, path), ct);
        }
        catch (Exception ex) when (ex is ModelArtifactException or OnnxRuntimeException or InferenceRequestException or IOException)
        {
            LogFailed(logger, job.Model, job.Version, ex.Message);
            return new ProfileResult(job.ExecutionProvider, 0, 0, 0, 0, 0, 0, 0, ex.Message);
        }
    }

    private ProfileResult Measure(ProfileJob job, string path)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        var loading = Stopwatch.StartNew();
        var spec = new Shared.Workloads.ModelWorkloadSpec(job.Model, "", "", job.Version, job.Sha256, job.SizeBytes, job.DownloadPath, job.ExecutionProvider, "");
        using var model = new ServedModel(spec, path, options.Value.Inference.IntraOpThreads);
        var loadMs = loading.Elapsed.TotalMilliseconds;
        using var inputs = SyntheticInputs.Create(model.Signature, new Random(42));
        for (var i = 0; i < Math.Clamp(job.WarmupRuns, 0, MaxRuns); i++)
        {
            _ = model.Run(inputs);
        }

        var runs = Math.Clamp(job.Runs, 1, MaxRuns);
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = model.Run(inputs);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        process.Refresh();
        Array.Sort(times);
        var result = new ProfileResult(model.Provider, runs, loadMs, times.Average(),
            LatencyRecorder.Percentile(times, 0.50), LatencyRecorder.Percentile(times, 0.95), LatencyRecorder.Percentile(times, 0.99),
            Math.Max(0, process.WorkingSet64 - before), Note: model.Note);
        LogProfiled(logger, job.Model, job.Version, runs, result.P50Ms, result.P99Ms);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Profiled model {Model} v{Version}: {Runs} runs, p50 {P50:F3} ms, p99 {P99:F3} ms")]
    private static partial void LogProfiled(ILogger logger, string model, int version, int runs, double p50, double p99);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Profiling model {Model} v{Version} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, int version, string reason);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Portal.Agent.Configuration;
using Portal.Agent.Enrollment;
using Portal.Agent.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference;

/// <summary>
/// Keeps the served models equal to the desired state's model workloads: fetches each artifact (resumable, verified),
/// loads it, serves it, and unloads what is no longer wanted. Each model goes Downloading (with %), Verifying, Loading,
/// Ready, or Failed with the reason; a failed one is tried again from scratch at the next reconcile.
/// </summary>
public sealed partial class ModelSupervisor(
    IOptions<AgentOptions> options,
    ArtifactCache artifacts,
    ModelHost host,
    InferenceServer server,
    WorkloadReporter reporter,
    TimeProvider clock,
    ILogger<ModelSupervisor> logger)
{
    private readonly WakeSignal wake = new();
    private readonly ConcurrentDictionary<string, WorkloadStatus> statuses = new(StringComparer.Ordinal);
    private long revision;

    public IReadOnlyList<WorkloadStatus> Statuses() => statuses.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public void Wake() => wake.Set();

    public async Task RunAsync(Func<DesiredState?> desired, AgentCredentials credentials, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // An unknown desired state (damaged on disk) keeps every served model and cached file as it is.
                    if (desired() is { } state)
                    {
                        revision = state.Revision;
                        await ReconcileAsync(state.ModelWorkloads(), credentials, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReconcileFailed(logger, ex);
                }

                await wake.WaitAsync(interval, stoppingToken);
            }
        }
        finally
        {
            // Stop taking requests first; models still in use by one unload when it ends (see ServedModel.Acquire).
            await server.DisposeAsync();
            host.Dispose();
        }
    }

    private async Task ReconcileAsync(IReadOnlyList<ModelWorkloadSpec> specs, AgentCredentials credentials, CancellationToken ct)
    {
        var wanted = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var changed = false;
        foreach (var served in host.All.Where(m => !wanted.ContainsKey(m.Spec.Name)))
        {
            host.Remove(served.Spec.Name);
            LogUnloaded(logger, served.Spec.Name, served.Spec.Version);
        }

        foreach (var name in statuses.Keys.Where(n => !wanted.TryGetValue(n, out var s) || s.SpecHash != statuses[n].SpecHash).ToList())
        {
            changed |= statuses.TryRemove(name, out _);
        }

        if (specs.Count > 0)
        {
            try
            {
                await server.EnsureStartedAsync(ct);
            }
            catch (ModelArtifactException ex)
            {
                foreach (var spec in specs)
                {
                    Set(spec, WorkloadState.Failed, ex.Message);
                }

                return;
            }
        }

        foreach (var spec in specs)
        {
            if (host.Find(spec.Name) is { } served && served.Spec.SpecHash == spec.SpecHash)
            {
                if (statuses.GetValueOrDefault(spec.Name)?.State != WorkloadState.Ready)
                {
                    Set(spec, WorkloadState.Ready, served.Note);
                }

                continue;
            }

            await InstallAsync(spec, credentials, ct);
        }

        artifacts.Prune(specs.Select(s => s.Sha256).ToHashSet(StringComparer.Ordinal));
        if (changed)
        {
            Report();
        }
    }

    private async Task InstallAsync(ModelWorkloadSpec spec, AgentCredentials credentials, CancellationToken ct)
    {
        try
        {
            Set(spec, WorkloadState.Downloading, null, 0);
            var url = new Uri(new Uri(credentials.PortalUrl), spec.DownloadPath);
            var path = await artifacts.FetchAsync(spec.Sha256, spec.SizeBytes, url, credentials.DeviceSecret,
                percent => Set(spec, WorkloadState.Downloading, null, percent), () => Set(spec, WorkloadState.Verifying, null), ct);
            Set(spec, WorkloadState.Loading, null);
            var model = await Task.Run(() => new ServedModel(spec, path, options.Value.Inference.IntraOpThreads), ct);
            host.Put(model);
            LogServing(logger, spec.Name, spec.Version, model.Provider, server.Address);
            Set(spec, WorkloadState.Ready, model.Note);
        }
        catch (ModelArtifactException ex)
        {
            Fail(spec, ex.Message);
        }
        catch (OnnxRuntimeException ex)
        {
            Fail(spec, $"The model could not be loaded: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Fail(spec, $"The model could not be installed: {ex.Message}");
        }
    }

    private void Fail(ModelWorkloadSpec spec, string reason)
    {
        LogFailed(logger, spec.Name, spec.Version, reason);
        Set(spec, WorkloadState.Failed, reason);
    }

    private void Set(ModelWorkloadSpec spec, WorkloadState state, string? reason, int? percent = null)
    {
        var status = new WorkloadStatus(spec.Name, spec.DeploymentId, spec.SpecHash, state, reason, $"{spec.Name} v{spec.Version}",
            null, state == WorkloadState.Ready ? clock.GetUtcNow() : null, 0, null, null, percent, WorkloadKind.Model);
        var previous = statuses.GetValueOrDefault(spec.Name);
        statuses[spec.Name] = status;
        if (ProgressThrottle.Tells(previous, status))
        {
            Report();
        }
    }

    private void Report() => _ = reporter.ReportAsync(WorkloadKind.Model, revision, Statuses());

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving model {Model} v{Version} on {Provider} at {Address}")]
    private static partial void LogServing(ILogger logger, string model, int version, string provider, Uri? address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unloaded model {Model} v{Version}")]
    private static partial void LogUnloaded(ILogger logger, string model, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} v{Version} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, int version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling models failed; trying again at the next interval")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception);
}

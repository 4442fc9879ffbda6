using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Agent.Configuration;
using Portal.Agent.Enrollment;
using Portal.Agent.Inference.Commands;
using Portal.Agent.Reconciler;
using Portal.Shared.Workloads;

namespace Portal.Agent.Inference;

/// <summary>
/// The model driver: keeps the served models equal to the desired state's model workloads. Plans with
/// <see cref="ModelPlanner"/>: fetch each artifact (resumable, verified), load it, serve it, unload what is no longer
/// wanted. Each model goes Downloading (with %), Verifying, Loading, Ready, or Failed with the reason; a failed one is
/// tried again from scratch at the next reconcile.
/// </summary>
public sealed partial class ModelDriver(
    IOptions<AgentOptions> options,
    ArtifactCache artifacts,
    ModelHost host,
    InferenceServer server,
    PlanRunner<ModelCommandContext> runner,
    WorkloadReporter reporter,
    TimeProvider clock,
    ILogger<ModelDriver> logger) : IWorkloadDriver
{
    private readonly ConcurrentDictionary<string, WorkloadStatus> statuses = new(StringComparer.Ordinal);
    private AgentCredentials? enrolled;
    private long revision;

    public WorkloadKind Kind => WorkloadKind.Model;

    public void Start(AgentCredentials credentials) => enrolled = credentials;

    public async ValueTask StopAsync()
    {
        // Stop taking requests first; models still in use by one unload when it ends (see ServedModel.Acquire).
        await server.DisposeAsync();
        host.Dispose();
    }

    public async Task<DriverReport> ReconcileAsync(DesiredState desired, CancellationToken ct)
    {
        revision = desired.Revision;
        var specs = desired.ModelSpecs();
        var wanted = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var name in statuses.Keys.Where(n => !wanted.TryGetValue(n, out var s) || s.SpecHash != statuses[n].SpecHash).ToList())
        {
            statuses.TryRemove(name, out _);
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

                return Report();
            }
        }

        var plan = ModelPlanner.Create(specs, [.. host.All.Select(m => m.Spec)]);
        var context = new ModelCommandContext(artifacts, host, enrolled!, options.Value.Inference.IntraOpThreads,
            (spec, state, percent) => Set(spec, state, null, percent), Served);
        var failures = await runner.RunAsync(plan, context, desired.Revision, ct);
        foreach (var spec in specs)
        {
            if (failures.TryGetValue(spec.Name, out var reason))
            {
                LogFailed(logger, spec.Name, spec.Version, reason);
                Set(spec, WorkloadState.Failed, reason);
            }
            else if (host.Find(spec.Name) is { } served && served.Spec.SpecHash == spec.SpecHash
                && statuses.GetValueOrDefault(spec.Name)?.State != WorkloadState.Ready)
            {
                Set(spec, WorkloadState.Ready, served.Note);
            }
        }

        artifacts.Prune(specs.Select(s => s.Sha256).ToHashSet(StringComparer.Ordinal));
        return Report();
    }

    private DriverReport Report() => new([.. statuses.Values.OrderBy(s => s.Name, StringComparer.Ordinal)], OnlyWhenChanged: true);

    private void Served(ServedModel model)
    {
        LogServing(logger, model.Spec.Name, model.Spec.Version, model.Provider, server.Address);
        Set(model.Spec, WorkloadState.Ready, model.Note);
    }

    private void Set(ModelWorkloadSpec spec, WorkloadState state, string? reason, int? percent = null)
    {
        var status = new WorkloadStatus(spec.Name, spec.DeploymentId, spec.SpecHash, state, reason, $"{spec.Name} v{spec.Version}",
            null, state == WorkloadState.Ready ? clock.GetUtcNow() : null, 0, null, null, percent, WorkloadKind.Model);
        var previous = statuses.GetValueOrDefault(spec.Name);
        statuses[spec.Name] = status;
        if (ProgressThrottle.Tells(previous, status))
        {
            _ = reporter.ReportAsync(WorkloadKind.Model, revision, Report().Statuses);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving model {Model} v{Version} on {Provider} at {Address}")]
    private static partial void LogServing(ILogger logger, string model, int version, string provider, Uri? address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} v{Version} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, int version, string reason);
}

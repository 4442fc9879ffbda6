using Portal.Agent.Enrollment;
using Portal.Agent.Inference;
using Portal.Agent.Reconciler;
using Portal.Shared.DataFlows;
using Portal.Shared.Workloads;

namespace Portal.Agent.DataFlows;

/// <summary>
/// The data flow driver: keeps one <see cref="FlowRunner"/> per desired data flow. A new flow is checked again here
/// (the validator, with the served model's real signature when it is loaded) and started; a flow whose spec hash
/// changed is stopped and started anew; one no longer desired is stopped. A flow the agent cannot run is Failed with
/// the validator's first problems; a running flow is Running, its step counts in the status, and the reason names a
/// step that is failing now (its last error is newer than its last success). Flows run offline like the rest.
/// </summary>
public sealed partial class DataFlowDriver(ModelHost models, IFlowDataSink data, TimeProvider clock, ILogger<DataFlowDriver> logger) : IWorkloadDriver
{
    /// <summary>How often a running flow's counts are reported while nothing else changes.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, (DataFlowWorkloadSpec Spec, FlowRunner Runner)> running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string SpecHash, string Problem)> refused = new(StringComparer.Ordinal);

    public WorkloadKind Kind => WorkloadKind.DataFlow;

    public void Start(AgentCredentials credentials)
    {
    }

    public async Task<DriverReport> ReconcileAsync(DesiredState desired, CancellationToken ct)
    {
        var wanted = desired.DataFlows().ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var (name, (spec, runner)) in running.ToList())
        {
            if (!wanted.TryGetValue(name, out var now) || now.SpecHash != spec.SpecHash)
            {
                await runner.DisposeAsync();
                running.Remove(name);
                LogStopped(logger, name);
            }
        }

        foreach (var name in refused.Keys.Where(n => !wanted.TryGetValue(n, out var w) || w.SpecHash != refused[n].SpecHash).ToList())
        {
            refused.Remove(name);
        }

        foreach (var spec in wanted.Values.Where(s => !running.ContainsKey(s.Name) && !refused.ContainsKey(s.Name)))
        {
            var signature = spec.Flow.Model is { } step ? models.Find(step.Model)?.Signature : null;
            if (DataFlowValidator.Validate(spec.Flow, signature) is [_, ..] problems)
            {
                var problem = string.Join(" ", problems.Take(3)) + (problems.Count > 3 ? $" And {problems.Count - 3} more." : "");
                refused[spec.Name] = (spec.SpecHash, problem);
                LogRefused(logger, spec.Name, problem);
                continue;
            }

            var runner = new FlowRunner(spec.Flow, new HostedFlowModel(models), data, clock, logger);
            try
            {
                await runner.StartAsync(ct);
            }
            catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
            {
                await runner.DisposeAsync();
                refused[spec.Name] = (spec.SpecHash, ex.Message);
                continue;
            }

            running[spec.Name] = (spec, runner);
        }

        var statuses = wanted.Values.Select(spec => running.TryGetValue(spec.Name, out var r) ? StatusOf(spec, r.Runner)
            : new WorkloadStatus(spec.Name, spec.DeploymentId, spec.SpecHash, WorkloadState.Failed, refused.GetValueOrDefault(spec.Name).Problem,
                "", null, null, 0, null, null, Kind: WorkloadKind.DataFlow)).ToList();
        return new DriverReport(statuses, running.Count > 0 ? StatusInterval : null);
    }

    public async ValueTask StopAsync()
    {
        foreach (var (_, runner) in running.Values)
        {
            await runner.DisposeAsync();
        }

        running.Clear();
    }

    private static WorkloadStatus StatusOf(DataFlowWorkloadSpec spec, FlowRunner runner)
    {
        var status = runner.Status();
        // A step is failing now when its last error came after its last success (or it never succeeded).
        var failing = status.Steps.FirstOrDefault(s => s.LastErrorAt is { } e && (s.LastAt is not { } ok || e > ok));
        var reason = failing is null ? null : $"{failing.Step}: {failing.LastError}";
        return new WorkloadStatus(spec.Name, spec.DeploymentId, spec.SpecHash, WorkloadState.Running, reason, spec.Flow.Model?.Model ?? "",
            null, status.Since, 0, null, null, Kind: WorkloadKind.DataFlow, Flow: status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data flow {Flow} stopped")]
    private static partial void LogStopped(ILogger logger, string flow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data flow {Flow} cannot run here: {Problem}")]
    private static partial void LogRefused(ILogger logger, string flow, string problem);
}

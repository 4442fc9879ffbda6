using Microsoft.AspNetCore.SignalR;
using Portal.Common;
using Portal.Features.Audit;
using Portal.Features.Deployments;
using Portal.Shared.Hubs;
using Portal.Shared.Workloads;

namespace Portal.Features.Workloads;

/// <summary>What operators ask of a device's workloads directly: logs on demand, a restart, a re-sync (both audited).</summary>
public sealed class WorkloadActions(
    IHubClients<IAgentClient> agents, Portal.Features.Cluster.FleetPresence presence, DesiredStates desiredStates, AuditLog audit)
{
    public const int MaxTail = 5000;

    public async Task<OperationResult<IReadOnlyList<LogLine>>> TailAsync(string deviceId, string workload, int tail, CancellationToken cancellationToken)
    {
        if (await UnknownAsync(deviceId, workload, cancellationToken) is { } problem)
        {
            return OperationResult<IReadOnlyList<LogLine>>.Fail(problem.Outcome, problem.Error!);
        }

        if (presence.ConnectionIdOf(deviceId) is not { } connection)
        {
            return OperationResult<IReadOnlyList<LogLine>>.Fail(OperationOutcome.Conflict, "The device is offline: logs can be read only while it is connected.");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var lines = await agents.Client(connection).GetLogs(workload, Math.Clamp(tail, 0, MaxTail)).WaitAsync(timeout.Token);
            return OperationResult<IReadOnlyList<LogLine>>.Ok(lines);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or HubException or IOException)
        {
            return OperationResult<IReadOnlyList<LogLine>>.Fail(OperationOutcome.Conflict, $"The device did not send its logs: {ex.Message}");
        }
    }

    public async Task<OperationResult<bool>> RestartAsync(string deviceId, string workload, AuditActor actor, CancellationToken cancellationToken)
    {
        if (await UnknownAsync(deviceId, workload, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (!presence.IsOnline(deviceId))
        {
            await audit.RecordAsync(actor, AuditActions.WorkloadRestarted, AuditTargets.Device(deviceId), workload, AuditOutcomes.Failure, "the device is offline", cancellationToken);
            return OperationResult<bool>.Fail(OperationOutcome.Conflict, "The device is offline: it can restart a workload once it is connected.");
        }

        await agents.User(deviceId).RestartWorkload(workload);
        await audit.RecordAsync(actor, AuditActions.WorkloadRestarted, AuditTargets.Device(deviceId), workload, detail: $"restart of {workload} asked", ct: cancellationToken);
        return OperationResult<bool>.Ok(true);
    }

    /// <summary>Sends the device its desired state again and has it reconcile at once.</summary>
    public async Task<OperationResult<bool>> ResyncAsync(string deviceId, AuditActor actor, CancellationToken cancellationToken)
    {
        if (!presence.IsOnline(deviceId))
        {
            await audit.RecordAsync(actor, AuditActions.DeviceResynced, AuditTargets.Device(deviceId), null, AuditOutcomes.Failure, "the device is offline", cancellationToken);
            return OperationResult<bool>.Fail(OperationOutcome.Conflict, "The device is offline: it re-syncs by itself when it reconnects.");
        }

        var client = agents.User(deviceId);
        var state = await desiredStates.GetAsync(deviceId, cancellationToken);
        await client.ApplyDesiredState(state);
        await client.Resync();
        await audit.RecordAsync(actor, AuditActions.DeviceResynced, AuditTargets.Device(deviceId), null, detail: $"desired state revision {state.Revision} sent again", ct: cancellationToken);
        return OperationResult<bool>.Ok(true);
    }

    private async Task<OperationResult<bool>?> UnknownAsync(string deviceId, string workload, CancellationToken ct)
    {
        var workloads = await desiredStates.WorkloadsAsync(deviceId, ct);
        if (workloads.Workloads.Any(w => w.Name == workload && w.Kind == WorkloadKind.DataFlow))
        {
            return OperationResult<bool>.Fail(OperationOutcome.Invalid,
                $"'{workload}' is a data flow: it has no container to restart or read logs from. Its steps, counts and last errors are on the device's page.");
        }

        // A stack's service is addressed as "{stack}.{service}", the name its container runs under on the device.
        return workloads.Workloads.Any(w => w.Name == workload
                || (w.Kind == WorkloadKind.Stack && w.Services?.Any(s => $"{w.Name}.{s.Service}" == workload) == true))
            ? null
            : OperationResult<bool>.Fail(OperationOutcome.NotFound, $"The device runs no workload named '{workload}'.");
    }
}

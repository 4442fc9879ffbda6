using Portal.Data;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: where a device released to a config change stands, from its last report. Until it reports the desired-state
/// revision that carries the change it is Pending; then it is Running when every workload of that desired state runs,
/// and Failed (with the workload's reason) when one failed.
/// </summary>
public static class ConfigRolloutJudge
{
    public static (DeviceRolloutState State, string? Reason) Judge(DeviceDesiredState row, long expectedRevision)
    {
        if (row.ReportedRevision < expectedRevision)
        {
            return (DeviceRolloutState.Pending, null);
        }

        var statuses = row.Items().Select(w => (w.Name, Status: row.Reported.FirstOrDefault(r => r.Name == w.Name && r.SpecHash == w.SpecHash && r.Kind == w.Kind))).ToList();
        if (statuses.FirstOrDefault(s => s.Status?.State is WorkloadState.Failed or WorkloadState.Stopped) is { Status: { } failed } bad)
        {
            return (DeviceRolloutState.Failed, $"{bad.Name}: {failed.Reason ?? failed.State.ToString()}");
        }

        if (statuses.All(s => s.Status?.State is WorkloadState.Running or WorkloadState.Ready))
        {
            return (DeviceRolloutState.Running, null);
        }

        return statuses.Any(s => s.Status?.State is WorkloadState.Pulling or WorkloadState.Downloading)
            ? (DeviceRolloutState.Pulling, null)
            : (DeviceRolloutState.Starting, null);
    }
}

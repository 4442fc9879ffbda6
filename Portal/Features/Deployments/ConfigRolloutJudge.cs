using Portal.Data;
using Portal.Shared.Deployments;
using Portal.Shared.Workloads;

namespace Portal.Features.Deployments;

/// <summary>
/// Pure: where a device released to a config change stands, from its last report. Until it reports the desired-state
/// revision that carries the change it is Pending; then it is Running when every workload the change touched runs,
/// and Failed (with the workload's reason) when one of them failed. The workloads it touched are those whose spec is not
/// one the device had before its release (<paramref name="before"/>, see <see cref="Keys"/>): a workload the change
/// did not reach, failing for its own reasons, is not the change's failure. Without <paramref name="before"/> (a
/// rollout stored before it was recorded) every workload is judged.
/// </summary>
public static class ConfigRolloutJudge
{
    public static (DeviceRolloutState State, string? Reason) Judge(DeviceDesiredState row, long expectedRevision, IReadOnlyCollection<string>? before = null)
    {
        if (row.ReportedRevision < expectedRevision)
        {
            return (DeviceRolloutState.Pending, null);
        }

        var touched = before is null ? row.Items() : row.Items().Where(w => !before.Contains(Key(w))).ToList();
        var statuses = touched.Select(w => (w.Name, Status: row.Reported.FirstOrDefault(r => r.Name == w.Name && r.SpecHash == w.SpecHash && r.Kind == w.Kind))).ToList();
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

    /// <summary>What a device's desired state holds, one key per workload spec, recorded when a device is released.</summary>
    public static List<string> Keys(DeviceDesiredState? row) => row is null ? [] : [.. row.Items().Select(Key)];

    private static string Key(DesiredWorkload w) => $"{w.Kind}/{w.Name}@{w.SpecHash}";
}

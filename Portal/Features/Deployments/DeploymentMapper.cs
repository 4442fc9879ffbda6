using Portal.Data;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

internal static class DeploymentMapper
{
    public static DeploymentDto ToDto(Deployment d, IReadOnlyDictionary<string, string>? deviceNames, IReadOnlyList<DeploymentEvent>? events,
        IReadOnlyDictionary<string, string>? runs = null)
    {
        var t = d.Targets;
        var progress = new DeploymentProgress(
            t.Count,
            t.Count(x => x.State == DeviceRolloutState.Running),
            t.Count(x => x.State == DeviceRolloutState.Failed),
            t.Count(x => x.State is DeviceRolloutState.Pending or DeviceRolloutState.Pulling or DeviceRolloutState.Starting),
            t.Count(x => x.State == DeviceRolloutState.Waiting),
            t.Count(x => x.State == DeviceRolloutState.Superseded),
            t.Count(x => x.State == DeviceRolloutState.Skipped));
        return new DeploymentDto(
            d.Id, d.Name, d.SourceId, d.SourceName, d.Version, d.State, d.StateReason, d.Strategy, d.GroupIds, d.DeviceIds,
            d.Spec is null ? new Dictionary<string, string>() : ParameterBinder.Masked(d.Spec.Parameters, d.Parameters), d.CreatedBy, d.CreatedAt, d.UpdatedAt, progress,
            deviceNames is null ? null : t.OrderBy(x => deviceNames.GetValueOrDefault(x.DeviceId, x.DeviceId), StringComparer.Ordinal)
                .Select(x => new DeploymentDeviceDto(x.DeviceId, deviceNames.GetValueOrDefault(x.DeviceId, x.DeviceId), x.State, x.Reason, x.ProgressPercent, x.ReleasedAt, x.UpdatedAt,
                    Math.Max(1, x.Revision), runs?.GetValueOrDefault(x.DeviceId)))
                .ToList(),
            events?.Select(e => new DeploymentEventDto(e.At, e.Message)).ToList(),
            d.Model is { } m ? new DeployedModel(m.ModelId, m.ModelName, m.Version, m.Sha256, m.SizeBytes, m.Original, m.ExecutionProvider) : null,
            DeploymentRevisions.Current(d), DeploymentRevisions.PreviousVersion(d), d.Kind);
    }
}

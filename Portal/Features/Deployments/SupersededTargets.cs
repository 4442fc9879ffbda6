using Portal.Data;
using Portal.Shared.Deployments;

namespace Portal.Features.Deployments;

/// <summary>Marks a deployment's targets superseded (or hands them back) as <see cref="Supersession.Find"/> decided, with one event per change.</summary>
internal static class SupersededTargets
{
    /// <returns>True when a target of <paramref name="deployment"/> changed.</returns>
    public static bool Apply(PortalDbContext db, Deployment deployment, Dictionary<(string DeploymentId, string DeviceId), Supersession.Candidate> owners, DateTimeOffset now)
    {
        var taken = new List<string>();
        var returned = 0;
        foreach (var target in deployment.Targets)
        {
            if (owners.TryGetValue((deployment.Id, target.DeviceId), out var owner))
            {
                var reason = Supersession.Reason(owner);
                if (target.State != DeviceRolloutState.Superseded || target.Reason != reason)
                {
                    (target.State, target.Reason, target.ProgressPercent, target.UpdatedAt) = (DeviceRolloutState.Superseded, reason, null, now);
                    taken.Add(reason);
                }
            }
            else if (target.State == DeviceRolloutState.Superseded)
            {
                // The newer deployment was rolled back or deleted: the device runs this one again, judged afresh.
                (target.State, target.Reason, target.ProgressPercent, target.UpdatedAt) = (target.ReleasedAt is null ? DeviceRolloutState.Waiting : DeviceRolloutState.Pending, null, null, now);
                target.ReleasedAt = target.ReleasedAt is null ? null : now;
                returned++;
            }
        }

        foreach (var reason in taken.Distinct(StringComparer.Ordinal))
        {
            var count = taken.Count(r => r == reason);
            db.DeploymentEvents.Add(new DeploymentEvent { DeploymentId = deployment.Id, At = now, Message = $"{reason} on {(count == 1 ? "1 device" : $"{count} devices")}" });
        }

        if (returned > 0)
        {
            db.DeploymentEvents.Add(new DeploymentEvent
            {
                DeploymentId = deployment.Id, At = now,
                Message = $"{(returned == 1 ? "1 device" : $"{returned} devices")} handed back: the deployment that superseded it here is gone",
            });
        }

        return taken.Count + returned > 0;
    }
}

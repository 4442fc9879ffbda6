using System.Text.Json.Nodes;
using Portal.Data;
using Portal.Features.Notifications;
using Portal.Shared.Deployments;
using Portal.Shared.Notifications;

namespace Portal.Features.Deployments;

/// <summary>The fleet events of deployments (created, completed, failed, rolled back), added in the context that saves the change.</summary>
internal static class DeploymentFleetEvents
{
    public static void Created(PortalDbContext db, Deployment deployment, string by, DateTimeOffset now) =>
        FleetEvents.Add(db, FleetEventTypes.DeploymentCreated, $"deployment:{deployment.Id}", deployment.Name, Data(deployment, by), now);

    /// <summary>Adds the event a move to the deployment's present state means, if any (a pause or a resume is none).</summary>
    public static void StateChanged(PortalDbContext db, Deployment deployment, DeploymentState from, string by, DateTimeOffset now)
    {
        var type = deployment.State switch
        {
            DeploymentState.Completed or DeploymentState.CompletedWithFailures => FleetEventTypes.DeploymentCompleted,
            DeploymentState.Failed or DeploymentState.Aborted => FleetEventTypes.DeploymentFailed,
            DeploymentState.RolledBack => FleetEventTypes.DeploymentRolledBack,
            _ => null,
        };
        if (type is not null && deployment.State != from)
        {
            var data = Data(deployment, by);
            data["from"] = from.ToString();
            FleetEvents.Add(db, type, $"deployment:{deployment.Id}", deployment.Name, data, now);
        }
    }

    /// <summary>The events of one rollout step: its state changes, and reverts to a previous revision not already told as a rollback.</summary>
    public static void Stepped(PortalDbContext db, IReadOnlyList<(Deployment Deployment, DeploymentState From)> transitions, IReadOnlyList<Deployment> reverts, DateTimeOffset now)
    {
        foreach (var (deployment, from) in transitions)
        {
            StateChanged(db, deployment, from, "the rollout", now);
        }

        foreach (var deployment in reverts.Where(r => !transitions.Any(t => t.Deployment == r && r.State == DeploymentState.RolledBack)))
        {
            Reverted(db, deployment, "the rollout", now);
        }
    }

    /// <summary>An updated deployment that went back to its previous revision (its state may not change).</summary>
    public static void Reverted(PortalDbContext db, Deployment deployment, string by, DateTimeOffset now) =>
        FleetEvents.Add(db, FleetEventTypes.DeploymentRolledBack, $"deployment:{deployment.Id}", deployment.Name, Data(deployment, by), now);

    private static JsonObject Data(Deployment deployment, string by) => new()
    {
        ["state"] = deployment.State.ToString(),
        ["reason"] = deployment.StateReason,
        ["revision"] = deployment.Revision,
        ["devices"] = deployment.Targets.Count,
        ["failed"] = deployment.Targets.Count(t => t.State == DeviceRolloutState.Failed),
        ["by"] = by,
    };
}

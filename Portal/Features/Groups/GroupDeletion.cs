using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Deployments;
using Portal.Shared.Devices;

namespace Portal.Features.Groups;

/// <summary>
/// Deletes a group only when nothing depends on it, or when the caller saw and confirmed what goes: deployments stop
/// targeting it (each gets an event), the devices they reached only through it lose the workload at the next rollout
/// step, and the audit entry says what was removed.
/// </summary>
public sealed class GroupDeletion(
    IDbContextFactory<PortalDbContext> dbFactory,
    GroupService groups,
    IDeploymentTargetsChanged deployments,
    AuditLog audit,
    TimeProvider clock)
{
    public async Task<GroupDeletePreview?> PreviewAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        return group is null ? null : await PreviewAsync(db, group, await UsersAsync(db, id, cancellationToken), cancellationToken);
    }

    /// <param name="confirmed">The caller saw the preview: delete even though deployments target the group.</param>
    /// <param name="seen">The preview the caller confirmed (the page's dialog): refused if the deployments targeting the group changed since.</param>
    public async Task<OperationResult<GroupDeletePreview>> DeleteAsync(
        string id, bool confirmed, AuditActor actor, GroupDeletePreview? seen = null, CancellationToken cancellationToken = default)
    {
        // The rollout service steps these deployments too: on a clash, decide again from fresh state (a few times).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DeleteOnceAsync(id, confirmed, actor, seen, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
            }
            catch (DbUpdateConcurrencyException)
            {
                return OperationResult<GroupDeletePreview>.Fail(OperationOutcome.Conflict, "A deployment of this group kept changing at the same moment; look at the preview again and retry.");
            }
        }
    }

    private async Task<OperationResult<GroupDeletePreview>> DeleteOnceAsync(string id, bool confirmed, AuditActor actor, GroupDeletePreview? seen, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
        {
            return OperationResult<GroupDeletePreview>.Fail(OperationOutcome.NotFound, "There is no such group.");
        }

        var users = await UsersAsync(db, id, cancellationToken);
        var preview = await PreviewAsync(db, group, users, cancellationToken);
        if (preview.Deployments.Count > 0 && !confirmed)
        {
            return OperationResult<GroupDeletePreview>.Fail(OperationOutcome.Conflict,
                $"{preview.Summary} See GET {Portal.Shared.Routes.ApiRoutes.GroupDeletePreview(id)}, then delete with ?force=true to confirm, " +
                "or first remove the group from those deployments.");
        }

        if (seen is not null && !seen.Deployments.Select(i => i.DeploymentId).Order(StringComparer.Ordinal)
                .SequenceEqual(preview.Deployments.Select(i => i.DeploymentId).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return OperationResult<GroupDeletePreview>.Fail(OperationOutcome.Conflict, $"The deployments targeting '{group.Name}' changed since the preview; nothing was deleted. {preview.Summary}");
        }

        var now = clock.GetUtcNow();
        foreach (var deployment in users)
        {
            deployment.GroupIds = deployment.GroupIds.Where(g => g != id).ToList();
            deployment.ConcurrencyStamp++;
            deployment.UpdatedAt = now;
            if (preview.Deployments.FirstOrDefault(i => i.DeploymentId == deployment.Id) is { } impact)
            {
                db.DeploymentEvents.Add(new DeploymentEvent
                {
                    DeploymentId = deployment.Id, At = now, Message = $"Group '{group.Name}' deleted by {actor.Name}: {GroupDeletePlanner.Lost(impact)}",
                });
            }
        }

        db.Groups.Remove(group);
        await db.SaveChangesAsync(cancellationToken);

        var detail = preview.Deployments.Count == 0 ? "no deployment targeted it"
            : string.Join("; ", preview.Deployments.Select(i => $"deployment '{i.DeploymentName}': {GroupDeletePlanner.Lost(i)}"));
        await audit.RecordAsync(actor, AuditActions.GroupDeleted, AuditTargets.Group(id), group.Name, detail: detail, ct: cancellationToken);
        if (users.Count > 0)
        {
            deployments.Changed(users.Select(d => d.Id).ToList());
        }

        return OperationResult<GroupDeletePreview>.Ok(preview);
    }

    /// <summary>Every deployment that names the group, rolled back ones too (so no deployment keeps a dangling id).</summary>
    private static async Task<List<Deployment>> UsersAsync(PortalDbContext db, string id, CancellationToken ct) =>
        // Group ids are a JSON column: filtered here, not in SQL.
        (await db.Deployments.Include(d => d.Targets).ToListAsync(ct)).Where(d => d.GroupIds.Contains(id, StringComparer.Ordinal)).ToList();

    private async Task<GroupDeletePreview> PreviewAsync(PortalDbContext db, DeviceGroup group, List<Deployment> users, CancellationToken ct)
    {
        var members = (await groups.ListAsync(ct)).ToDictionary(g => g.Id, g => (IReadOnlyList<string>)g.Members.Select(m => m.DeviceId).ToList(), StringComparer.Ordinal);
        var names = await db.Devices.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, StringComparer.Ordinal, ct);
        var active = users.Where(d => d.State != DeploymentState.RolledBack).Select(d => new GroupDeletePlanner.Deployed(
            d.Id, d.Name, d.Model is { } m ? $"{m.ModelName} v{m.Version}" : d.Flow is { } f ? $"{f.FlowName} v{f.Version}" : $"{d.SourceName} {d.Version}", d.GroupIds, d.DeviceIds,
            d.Targets.Where(t => t.ReleasedAt is not null && t.State is not (DeviceRolloutState.RolledBack or DeviceRolloutState.Superseded)).Select(t => t.DeviceId).ToList()));
        return GroupDeletePlanner.Preview(group.Id, group.Name, active, members, names);
    }
}

using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Features.Deployments;

/// <summary>Reads the targeted devices' last reports and says, per device, what each runs of the deployment's app or model.</summary>
internal static class DeviceRunsReader
{
    public static async Task<Dictionary<string, string>> ReadAsync(PortalDbContext db, Deployment deployment, List<string> deviceIds, CancellationToken ct)
    {
        var (name, kind) = DeviceRuns.WorkloadName(deployment);
        var rows = await db.DesiredStates.AsNoTracking().Where(r => deviceIds.Contains(r.DeviceId) && r.ReportedAt != null).ToListAsync(ct);
        var reported = rows.ToDictionary(r => r.DeviceId, r => r.Reported.FirstOrDefault(w => w.Name == name && w.Kind == kind), StringComparer.Ordinal);
        var otherIds = reported.Values.Where(w => w is not null && w.DeploymentId != deployment.Id).Select(w => w!.DeploymentId).Distinct().ToList();
        var others = otherIds.Count == 0
            ? new Dictionary<string, DeviceRuns.Deployed>()
            : await db.Deployments.AsNoTracking().Where(d => otherIds.Contains(d.Id))
                .ToDictionaryAsync(d => d.Id, d => new DeviceRuns.Deployed(d.Name, d.Version), StringComparer.Ordinal, ct);
        return reported.ToDictionary(r => r.Key, r => DeviceRuns.Describe(deployment, r.Value, others), StringComparer.Ordinal);
    }
}

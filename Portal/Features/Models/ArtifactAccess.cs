using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Shared.Models;

namespace Portal.Features.Models;

/// <summary>A device may fetch a model file (or an agent build) only when its desired state names it or it has a profile run for it.</summary>
public sealed class ArtifactAccess(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<bool> MayFetchAsync(string deviceId, string sha256, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.DesiredStates.AsNoTracking().Where(d => d.DeviceId == deviceId).Select(d => new { d.Models, d.AgentReleases }).FirstOrDefaultAsync(ct);
        if (state is not null && (state.Models.Any(m => m.Sha256 == sha256) || state.AgentReleases.Any(r => r.Files.Any(f => f.Sha256 == sha256))))
        {
            return true;
        }

        return await db.ModelProfileRuns.AnyAsync(p => p.DeviceId == deviceId && p.Sha256 == sha256 && p.State == ProfileState.Running, ct);
    }
}

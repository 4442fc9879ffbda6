using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Features.Devices;

namespace Portal.Features.Deployments;

/// <summary>
/// Drains a decommissioned device: once it is revoked no deployment targets it, so the next rollout step gives it an
/// empty desired state; this wakes the rollout loop and waits until the agent reports that revision with nothing left.
/// </summary>
public sealed class WorkloadDrain(IDbContextFactory<PortalDbContext> dbFactory, RolloutSignal signal, TimeProvider clock) : IWorkloadDrain
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task<IReadOnlyList<string>> WorkloadsOfAsync(string deviceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.DesiredStates.AsNoTracking().FirstOrDefaultAsync(s => s.DeviceId == deviceId, ct);
        return row is null ? [] : row.Items().Select(w => w.Name).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<DrainResult> DrainAsync(string deviceId, TimeSpan timeout, CancellationToken ct)
    {
        var count = (await WorkloadsOfAsync(deviceId, ct)).Count;
        if (count == 0)
        {
            return new DrainResult(0, Confirmed: true);
        }

        var until = clock.GetUtcNow() + timeout;
        signal.Wake();
        while (clock.GetUtcNow() < until)
        {
            await Task.Delay(Poll, clock, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var row = await db.DesiredStates.AsNoTracking().FirstOrDefaultAsync(s => s.DeviceId == deviceId, ct);
            if (row is null || (row.Items().Count == 0 && row.ReportedRevision >= row.Revision && row.Reported.Count == 0))
            {
                return new DrainResult(count, Confirmed: true);
            }

            signal.Wake();
        }

        return new DrainResult(count, Confirmed: false);
    }
}
